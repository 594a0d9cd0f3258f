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
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::TempDir;
using kiln::testing::WriteFile;

// Remembers the row ids it was fed.
class IdSet : public Accumulator {
 public:
  Status Update(const RecordBatch& batch) override {
    auto ids = RowIds(batch, "row_ids");
    if (!ids.ok()) return ids.status();
    for (int64_t row = 0; row < batch.num_rows(); ++row) ids_.insert((*ids)[row]);
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    const auto& more = static_cast<const IdSet&>(other).ids_;
    ids_.insert(more.begin(), more.end());
    return Status::OK();
  }
  void Serialize(std::string*) const override {}
  Status MergeSerialized(std::string_view) override { return Status::OK(); }
  std::set<int64_t> ids_;  // Row ids seen.
};

// Fits on the row ids (recording them) and writes them out as column `rid`.
class RowIdEcho : public Operator {
 public:
  const char* kind() const override { return "row_id_echo"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override {
    std::vector<Field> fields = input->fields();
    fields.push_back({"rid", DataType::Int64()});
    return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
  }
  std::vector<std::string> inputs() const override { return {}; }
  std::vector<std::string> outputs() const override { return {"rid"}; }
  bool needs_row_ids() const override { return true; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override { return std::make_unique<IdSet>(); }
  Status Fit(const Accumulator& merged) override {
    fitted_ = static_cast<const IdSet&>(merged).ids_;
    return Status::OK();
  }
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override {
    auto ids = RowIds(*batch, kind());
    if (!ids.ok()) return ids.status();
    ColumnBuilder rid(DataType::Int64());
    for (int64_t row = 0; row < batch->num_rows(); ++row) rid.Append<int64_t>((*ids)[row]);
    std::vector<Field> fields = batch->schema()->fields();
    fields.push_back({"rid", DataType::Int64()});
    std::vector<std::shared_ptr<Column>> columns = batch->columns();
    columns.push_back(rid.Finish());
    return RecordBatch::Make(std::make_shared<Schema>(std::move(fields)), std::move(columns));
  }
  std::set<int64_t> fitted_;  // Ids seen in the fit pass.
};

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
