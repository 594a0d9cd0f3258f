// Row ids: every step that asks for them sees each input row's global index,
// in fit passes and in the transform pass, whatever the batching, and the
// output never carries the hidden column.
#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "kiln/core/column_builder.h"
#include "kiln/prep/column_selection.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/prep_job.h"
#include "kiln/prep/row_id.h"
#include "prep/row_id_echo.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::TempDir;
using kiln::testing::WriteFile;

using testing::RowIdEcho;

TEST(RowIdTest, StepsSeeGlobalRowIdsInEveryPassAndTheOutputHidesThem) {
  TempDir dir;
  std::string csv = "a,b\n";
  for (int row = 0; row < 50; ++row) csv += std::to_string(row) + "," + std::to_string(row % 3) + "\n";
  WriteFile(dir.File("in.csv"), csv);
  auto job = ParsePrepYaml("input: {path: " + dir.File("in.csv") + ", schema: 'a:int64, b:int64'}\n" +
                               "output: {path: " + dir.File("out") + ", format: csv, rows_per_part: 1000}\n" +
                               "steps:\n  - {op: select, columns: [a]}\n",
                           "test.yaml");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  job->input.read.csv.batch_rows = 7;  // Many batches, processed out of order by the workers.
  auto echo = std::make_unique<RowIdEcho>();
  RowIdEcho* fitted = echo.get();
  job->pipeline.Add(std::move(echo));  // After select: the hidden column survives it.
  auto summary = RunPrepJob(&*job);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();

  ASSERT_EQ(fitted->fitted_.size(), 50u);
  EXPECT_EQ(*fitted->fitted_.begin(), 0);
  EXPECT_EQ(*fitted->fitted_.rbegin(), 49);
  std::string expected = "a,rid\n";
  for (int row = 0; row < 50; ++row) expected += std::to_string(row) + "," + std::to_string(row) + "\n";
  EXPECT_EQ(ReadFile(dir.File("out/part-00000.csv")), expected);
}

TEST(RowIdTest, SelectionsNeverMatchTheHiddenColumn) {
  auto schema = WithRowIdField(Schema({{"a", DataType::Int64()}, {"b", DataType::String()}}));
  auto every = ResolveColumns(ColumnSelection{}, *schema, IsIntegerType, "test");
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(*every, std::vector<std::string>{"a"});
  auto glob = ResolveColumns(ColumnSelection{{"*"}}, *schema, IsIntegerType, "test");
  ASSERT_TRUE(glob.ok());
  EXPECT_EQ(*glob, std::vector<std::string>{"a"});
  EXPECT_EQ(WithoutRowIdField(schema)->ToString(), "a: int64, b: string");
}

TEST(RowIdTest, RowIdsOfABatchWithoutThemIsAnError) {
  auto batch = std::make_shared<RecordBatch>(std::make_shared<Schema>(std::vector<Field>{}),
                                             std::vector<std::shared_ptr<Column>>{}, 0);
  EXPECT_FALSE(RowIds(*batch, "test").ok());
  RecordBatchPtr with = WithRowIds(*batch, 5);
  EXPECT_EQ(with->num_columns(), 1);
  EXPECT_EQ(WithoutRowIds(with)->num_columns(), 0);
}

}  // namespace
}  // namespace kiln::prep
