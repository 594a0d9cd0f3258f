// Communicator collectives, checked with values from every rank. ctest runs
// this suite alone (LocalCommunicator) and under mpirun -np 2 (OpenMPI).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <numeric>

#include "kiln/dist/agreement.h"
#include "kiln/dist/communicator.h"
#include "test_world.h"
#include "testing/temp_dir.h"

namespace kiln::dist {
namespace {

// What rank `from` sends to rank `to` in the exchange tests: long enough to
// need several rounds, different for every pair.
std::string Message(int from, int to) {
  std::string text = "from " + std::to_string(from) + " to " + std::to_string(to) + ":";
  text.resize(text.size() + 1500 * (from + 1) * (to + 2), static_cast<char>('a' + (from * 7 + to) % 26));
  return text;
}

TEST(CommunicatorTest, RankAndSizeMatchTheLaunch) {
  Communicator& world = TestWorld();
  const char* launched = std::getenv("OMPI_COMM_WORLD_SIZE");
  EXPECT_EQ(world.size(), launched ? std::atoi(launched) : 1);
  const char* rank = std::getenv("OMPI_COMM_WORLD_RANK");
  EXPECT_EQ(world.rank(), rank ? std::atoi(rank) : 0);
}

TEST(CommunicatorTest, AllGatherReturnsEveryRanksBytesInRankOrder) {
  Communicator& world = TestWorld();
  std::vector<std::string> gathered = world.AllGather(Message(world.rank(), 0));
  ASSERT_EQ(static_cast<int>(gathered.size()), world.size());
  for (int r = 0; r < world.size(); ++r) EXPECT_EQ(gathered[r], Message(r, 0)) << "from rank " << r;
  // Empty strings, and a mix of empty and not.
  gathered = world.AllGather(world.rank() % 2 ? std::string() : std::string("even"));
  for (int r = 0; r < world.size(); ++r) EXPECT_EQ(gathered[r], r % 2 ? "" : "even");
}

TEST(CommunicatorTest, AllToAllVDeliversEachPairsBytes) {
  Communicator& world = TestWorld();
  std::vector<std::string> outgoing;
  for (int to = 0; to < world.size(); ++to) outgoing.push_back(Message(world.rank(), to));
  std::vector<std::string> incoming = world.AllToAllV(outgoing);
  ASSERT_EQ(static_cast<int>(incoming.size()), world.size());
  for (int from = 0; from < world.size(); ++from) {
    EXPECT_EQ(incoming[from], Message(from, world.rank())) << "from rank " << from;
  }
}

TEST(CommunicatorTest, AllReduceSumAddsEveryRanksValues) {
  Communicator& world = TestWorld();
  const int64_t n = world.size();
  const int64_t rank_sum = n * (n + 1) / 2;  // Sum of rank + 1 over the ranks.
  std::vector<int64_t> counts(1000);
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = static_cast<int64_t>(i) * (world.rank() + 1) + (1LL << 40);
  world.AllReduceSum(counts);
  for (size_t i = 0; i < counts.size(); ++i) ASSERT_EQ(counts[i], static_cast<int64_t>(i) * rank_sum + n * (1LL << 40));

  std::vector<double> sums(257);
  for (size_t i = 0; i < sums.size(); ++i) sums[i] = 0.25 * static_cast<double>(i) * (world.rank() + 1);
  world.AllReduceSum(sums);
  for (size_t i = 0; i < sums.size(); ++i) ASSERT_EQ(sums[i], 0.25 * static_cast<double>(i) * rank_sum);

  // A gradient-sized float array.
  std::vector<float> gradient(3 << 20);
  for (size_t i = 0; i < gradient.size(); ++i) gradient[i] = static_cast<float>(i % 1024) * (world.rank() + 1);
  world.AllReduceSum(gradient);
  for (size_t i = 0; i < gradient.size(); ++i) {
    ASSERT_EQ(gradient[i], static_cast<float>(i % 1024) * rank_sum) << "element " << i;
  }
}

TEST(CommunicatorTest, BarrierWaitsForEveryRank) {
  Communicator& world = TestWorld();
  std::unique_ptr<kiln::testing::TempDir> dir;
  if (world.rank() == 0) dir = std::make_unique<kiln::testing::TempDir>();
  std::string shared = world.AllGather(dir ? dir->path() : "")[0];
  kiln::testing::WriteFile(shared + "/rank" + std::to_string(world.rank()), "here");
  world.Barrier();
  for (int r = 0; r < world.size(); ++r) {
    EXPECT_TRUE(std::filesystem::exists(shared + "/rank" + std::to_string(r))) << "rank " << r;
  }
  world.Barrier();  // Rank 0 removes the directory only after every rank looked.
}

TEST(AgreementTest, OneRanksFailureBecomesEveryRanks) {
  Communicator& world = TestWorld();
  EXPECT_TRUE(AgreeOnStatus(&world, Status::OK()).ok());
  const int failing = world.size() - 1;
  Status local = world.rank() == failing ? Status::Corruption("data.tsv:7: bad row") : Status::OK();
  Status agreed = AgreeOnStatus(&world, local);
  EXPECT_EQ(agreed.code(), Status::Code::kCorruption);
  std::string expected = world.size() == 1 ? "data.tsv:7: bad row"
                                           : "rank " + std::to_string(failing) + " of " + std::to_string(world.size()) +
                                                 ": data.tsv:7: bad row";
  EXPECT_EQ(agreed.message(), expected);
  // With several failures, the lowest rank's wins everywhere.
  agreed = AgreeOnStatus(&world, Status::NotFound("missing on rank " + std::to_string(world.rank())));
  EXPECT_EQ(agreed.code(), Status::Code::kNotFound);
  EXPECT_NE(agreed.message().find("missing on rank 0"), std::string::npos) << agreed.message();
}

TEST(AgreementTest, StatusSurvivesBytes) {
  for (Status status : {Status::OK(), Status::InvalidArgument("a"), Status::IOError("b"), Status::Corruption("c:1"),
                        Status::NotSupported("d"), Status::NotFound("e"), Status::Internal(""),
                        Status::NotCanonical("f:2: column")}) {
    Status decoded = DecodeStatus(EncodeStatus(status));
    EXPECT_EQ(decoded.code(), status.code());
    EXPECT_EQ(decoded.message(), status.message());
  }
  EXPECT_EQ(DecodeStatus("").code(), Status::Code::kInternal);
  EXPECT_EQ(DecodeStatus(std::string(1, '\x7f') + "x").code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace kiln::dist
