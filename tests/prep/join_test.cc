// Join: left and inner joins with a CSV and a Parquet dimension table, name
// clashes, null and missing keys, duplicate dimension keys, the table saved
// with the state.
#include <filesystem>

#include <gtest/gtest.h>

#include "fit_helpers.h"
#include "kiln/parquet/file_writer.h"
#include "kiln/prep/join.h"
#include "kiln/prep/row_id.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using kiln::testing::TempDir;
using kiln::testing::WriteFile;
using testing::ColumnNamed;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::Values;

RecordBatchPtr Sales() {
  return MakeBatch({{"id", DataType::Int32()}, {"name", DataType::String()}},
                   {MakeColumn<int32_t>(DataType::Int32(), {1, 3, std::nullopt, 2, 1}),
                    MakeColumn<std::string>(DataType::String(), {"s1", "s2", "s3", "s4", "s5"})});
}

std::vector<std::string> Strings(const Column& column) {
  std::vector<std::string> values;
  for (int64_t row = 0; row < column.length(); ++row) {
    values.push_back(column.IsValid(row) ? std::string(column.GetString(row)) : "<null>");
  }
  return values;
}

class JoinTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteFile(dir_.File("dim.csv"), "id,name,price\n1,apple,0.5\n2,pear,0.75\n"); }
  JoinOptions Options(JoinType how) {
    JoinOptions options;
    options.table = dir_.File("dim.csv");
    options.on = {"id"};
    options.how = how;
    return options;
  }
  TempDir dir_;
};

TEST_F(JoinTest, LeftJoinKeepsEveryRowAndSuffixesClashes) {
  Join op(Options(JoinType::kLeft));
  auto schema = op.Bind(Sales()->schema());
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ((*schema)->ToString(), "id: int32, name: string, name_right: string, price: float64");
  auto out = op.Transform(Sales());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Strings(ColumnNamed(*out, "name_right")),
            (std::vector<std::string>{"apple", "<null>", "<null>", "pear", "apple"}));
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "price"), -1), (std::vector<double>{0.5, -1, -1, 0.75, 0.5}));
}

TEST_F(JoinTest, InnerJoinDropsUnmatchedRowsWithTheirRowIds) {
  JoinOptions options = Options(JoinType::kInner);
  options.columns = {"price"};
  Join op(options);
  RecordBatchPtr batch = WithRowIds(*Sales(), 10);
  ASSERT_TRUE(op.Bind(batch->schema()).ok());
  auto out = op.Transform(batch);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Strings(ColumnNamed(*out, "name")), (std::vector<std::string>{"s1", "s4", "s5"}));
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "price")), (std::vector<double>{0.5, 0.75, 0.5}));
  auto ids = RowIds(**out, "test");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(std::vector<int64_t>(*ids, *ids + 3), (std::vector<int64_t>{10, 13, 14}));
  auto empty = op.Transform(batch->Slice(0, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->num_rows(), 0);
}

TEST_F(JoinTest, DuplicateKeysAndBadKeysAreErrors) {
  WriteFile(dir_.File("dup.csv"), "id,price\n1,0.5\n2,0.1\n1,0.7\n");
  JoinOptions options = Options(JoinType::kLeft);
  options.table = dir_.File("dup.csv");
  auto bound = Join(options).Bind(Sales()->schema());
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.status().message().find("key (id=1) appears more than once"), std::string::npos)
      << bound.status().ToString();
  options = Options(JoinType::kLeft);
  options.on = {"name"};
  options.right_on = {"id"};
  EXPECT_FALSE(Join(options).Bind(Sales()->schema()).ok());  // String against integer.
  options = Options(JoinType::kLeft);
  options.table = dir_.File("missing.csv");
  EXPECT_FALSE(Join(options).Bind(Sales()->schema()).ok());
}

TEST_F(JoinTest, StateCarriesTheTableAndAParquetDimensionWorks) {
  auto dimension = MakeBatch({{"key", DataType::Int64()}, {"tag", DataType::String()}},
                             {MakeColumn<int64_t>(DataType::Int64(), {3, 2}),
                              MakeColumn<std::string>(DataType::String(), {"three", "two"})});
  ASSERT_TRUE(parquet::WriteParquet(dir_.File("dim.parquet"), Table(dimension->schema(), {dimension})).ok());
  JoinOptions options = Options(JoinType::kLeft);
  options.table = dir_.File("dim.parquet");
  options.right_on = {"key"};
  Join op(options);
  ASSERT_TRUE(op.Bind(Sales()->schema()).ok());
  TempDir state;
  FittedStateWriter writer(state.path());
  ASSERT_TRUE(op.SaveState("step1_join", &writer).ok());
  ASSERT_TRUE(writer.Finish().ok());
  std::filesystem::remove(dir_.File("dim.parquet"));
  auto reader = FittedStateReader::Open(state.path());
  ASSERT_TRUE(reader.ok());
  Join loaded(options);
  ASSERT_TRUE(loaded.LoadStateBeforeBind("step1_join", *reader).ok());
  ASSERT_TRUE(loaded.Bind(Sales()->schema()).ok());  // The original file is gone.
  auto out = loaded.Transform(Sales());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Strings(ColumnNamed(*out, "tag")), (std::vector<std::string>{"<null>", "three", "<null>", "two", "<null>"}));
}

}  // namespace
}  // namespace kiln::prep
