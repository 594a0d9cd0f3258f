// Data-parallel training under `mpirun -np 2`: two ranks on halves of each
// global batch match one rank on the whole batch (dense gradients
// all-reduced, embedding gradients exchanged as rows). Every rank also runs
// the one-rank reference on a LocalCommunicator.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "kiln/dist/world.h"
#include "kiln/train/checkpoint_file.h"
#include "kiln/train/trainer.h"
#include "testing/run_command.h"

namespace kiln::train {
namespace {

// Runs the kiln binary as a plain process: without mpirun's environment,
// which would make it start MPI itself.
std::string Kiln(const std::string& arguments, int* exit_code) {
  return testing::RunCommand("env -u OMPI_COMM_WORLD_SIZE " + std::string(KILN_BINARY_DIR) + "/kiln --quiet " +
                                 arguments + " 2>&1",
                             exit_code);
}

TEST(TrainMpiTest, TwoRanksMatchOneRankOnTheSameGlobalBatch) {
  dist::Communicator& world = dist::World();
  std::string directory;
  if (world.rank() == 0) {
    char pattern[] = "/tmp/kiln-train-mpi-XXXXXX";
    directory = mkdtemp(pattern);
    int code = -1;
    std::string output = Kiln("gen criteo --rows 640 --seed 4 --out " + directory + "/c.tsv", &code);
    if (code == 0) output = Kiln("prep --recipe dlrm --min-freq 1 --in " + directory + "/c.tsv --out " +
                                 directory + "/prep", &code);
    EXPECT_EQ(code, 0) << output;
  }
  directory = world.AllGather(directory)[0];

  // 512 training rows = one global batch per epoch, so every step of both
  // runs sees the same rows, split in halves over the two ranks.
  TrainOptions options;
  options.data = directory + "/prep";
  options.arch_mlp_bot = "13-16-8";
  options.arch_mlp_top = "16-1";
  options.emb_dim = 8;
  options.batch_size = 512;
  options.epochs = 6;
  options.eval_fraction = 0.2;
  options.optimizer = "adagrad";
  options.learning_rate = 0.05;
  options.threads = 1;
  options.seed = 5;

  dist::LocalCommunicator local;
  options.out = directory + "/local-" + std::to_string(world.rank());
  auto alone = RunTraining(options, &local);
  ASSERT_TRUE(alone.ok()) << alone.status().ToString();
  options.out = directory + "/ranks";
  auto together = RunTraining(options, &world);
  ASSERT_TRUE(together.ok()) << together.status().ToString();

  EXPECT_EQ(together->steps, 6);
  EXPECT_EQ(together->samples, alone->samples);
  EXPECT_NEAR(together->last_loss, alone->last_loss, 1e-5);
  EXPECT_NEAR(together->eval.logloss, alone->eval.logloss, 1e-5);
  EXPECT_NEAR(together->eval.auc, alone->eval.auc, 1e-4);
  if (world.rank() == 0) {
    auto a = ReadCheckpoint(directory + "/local-0/checkpoint.kckp");
    auto b = ReadCheckpoint(directory + "/ranks/checkpoint.kckp");
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->arrays.size(), b->arrays.size());
    double largest = 0;
    for (const auto& [name, values] : a->arrays) {
      const std::vector<float>& other = b->arrays.at(name);
      ASSERT_EQ(values.size(), other.size()) << name;
      for (size_t i = 0; i < values.size(); ++i) largest = std::max(largest, std::fabs(double{values[i]} - other[i]));
    }
    // Gradients are summed in another order (per rank, then across ranks);
    // Adagrad's division by the root of small accumulated squares magnifies
    // that rounding in rarely touched rows to ~2e-5 after six steps.
    EXPECT_LT(largest, 1e-4);
  }
  world.Barrier();
  if (world.rank() == 0) std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace kiln::train

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  kiln::Status status = kiln::dist::InitWorld(&argc, &argv);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  const int result = RUN_ALL_TESTS();
  kiln::dist::FinalizeWorld();
  return result;
}
