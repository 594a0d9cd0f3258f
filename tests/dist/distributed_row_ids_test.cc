// Row ids in a distributed prep run: each rank's ids continue where the
// previous rank's share ends, in fit passes and in the transform pass, so
// the steps see exactly the single-process ids 0..N-1.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "kiln/core/column_builder.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/prep_job.h"
#include "kiln/prep/row_id.h"
#include "prep/row_id_echo.h"
#include "test_world.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::WriteFile;

using testing::RowIdEcho;

constexpr int kRows = 300;

TEST(DistributedRowIdsTest, EveryRankSeesTheGlobalIdsOfItsRows) {
  dist::Communicator& world = dist::TestWorld();
  std::unique_ptr<kiln::testing::TempDir> dir;
  if (world.rank() == 0) {
    dir = std::make_unique<kiln::testing::TempDir>();
    std::string csv = "a\n";
    for (int row = 0; row < kRows; ++row) csv += std::to_string(row * 10) + "\n";
    WriteFile(dir->File("in.csv"), csv);
  }
  std::string shared = world.AllGather(dir ? dir->path() : "")[0];
  auto job = ParsePrepYaml("input: {path: " + shared + "/in.csv, quoted: false, schema: 'a:int64'}\n" +
                               "output: {path: " + shared + "/out, format: csv, rows_per_part: 1000}\n" +
                               "steps:\n  - {op: select, columns: [a]}\n",
                           "test.yaml");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  job->input.read.csv.batch_rows = 7;  // Many batches per rank, out of order on the workers.
  auto echo = std::make_unique<RowIdEcho>();
  RowIdEcho* fitted = echo.get();
  job->pipeline.Add(std::move(echo));
  auto summary = RunPrepJob(&*job, &world);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->rows_out, kRows);

  // The fit saw every id once, on every rank.
  ASSERT_EQ(fitted->fitted_.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(*fitted->fitted_.begin(), 0);
  EXPECT_EQ(*fitted->fitted_.rbegin(), kRows - 1);
  // The output: rows in part-name order, each with its own id.
  std::vector<std::string> parts;
  for (const auto& entry : std::filesystem::directory_iterator(shared + "/out")) {
    if (entry.path().extension() == ".csv") parts.push_back(entry.path().string());
  }
  std::sort(parts.begin(), parts.end());
  EXPECT_EQ(static_cast<int>(parts.size()), world.size());  // One part per rank.
  int expected_id = 0;
  for (const std::string& part : parts) {
    std::istringstream lines(ReadFile(part));
    std::string line;
    ASSERT_TRUE(std::getline(lines, line));
    EXPECT_EQ(line, "a,rid");
    while (std::getline(lines, line)) {
      EXPECT_EQ(line, std::to_string(expected_id * 10) + "," + std::to_string(expected_id));
      ++expected_id;
    }
  }
  EXPECT_EQ(expected_id, kRows);
  world.Barrier();  // Rank 0 removes the directory only after every rank read it.
}

}  // namespace
}  // namespace kiln::prep
