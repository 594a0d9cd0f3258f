#include "kiln/core/table.h"

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"

namespace kiln {
namespace {

SchemaPtr TwoColumnSchema() {
  return std::make_shared<const Schema>(
      std::vector<Field>{{"id", DataType::Int64()}, {"name", DataType::String()}});
}

RecordBatchPtr MakeBatch(int64_t first_id, int rows) {
  ColumnBuilder ids(DataType::Int64()), names(DataType::String());
  for (int i = 0; i < rows; ++i) {
    ids.Append<int64_t>(first_id + i);
    names.AppendString("n" + std::to_string(first_id + i));
  }
  auto batch = RecordBatch::Make(TwoColumnSchema(), {ids.Finish(), names.Finish()});
  EXPECT_TRUE(batch.ok());
  return *batch;
}

TEST(RecordBatchTest, MakeChecksTypesAndLengths) {
  ColumnBuilder ids(DataType::Int64()), wrong(DataType::Int32()), names(DataType::String());
  ids.Append<int64_t>(1);
  wrong.Append<int32_t>(1);
  names.AppendString("a");
  names.AppendString("b");
  auto mistyped = RecordBatch::Make(TwoColumnSchema(), {wrong.Finish(), names.Finish()});
  ASSERT_FALSE(mistyped.ok());
  EXPECT_NE(mistyped.status().message().find("'id'"), std::string::npos);

  ColumnBuilder names2(DataType::String());
  names2.AppendString("a");
  names2.AppendString("b");
  auto short_column = RecordBatch::Make(TwoColumnSchema(), {ids.Finish(), names2.Finish()});
  ASSERT_FALSE(short_column.ok());
  EXPECT_NE(short_column.status().message().find("'name'"), std::string::npos);
}

TEST(TableTest, SliceAcrossBatches) {
  Table table(TwoColumnSchema(), {MakeBatch(0, 5), MakeBatch(5, 5), MakeBatch(10, 5)});
  EXPECT_EQ(table.num_rows(), 15);
  Table middle = table.Slice(3, 9);
  EXPECT_EQ(middle.num_rows(), 9);
  ASSERT_EQ(middle.batches().size(), 3u);
  EXPECT_EQ(middle.batches()[0]->column(0).Value<int64_t>(0), 3);
  EXPECT_EQ(middle.batches()[2]->num_rows(), 2);
  EXPECT_EQ(middle.batches()[2]->column(1).GetString(1), "n11");
  EXPECT_EQ(table.Slice(14, 100).num_rows(), 1);
  EXPECT_EQ(table.Slice(20, 5).num_rows(), 0);
}

TEST(TableTest, CombineConcatenatesRowsInOrder) {
  Table table(TwoColumnSchema(), {MakeBatch(0, 3), MakeBatch(3, 2)});
  RecordBatchPtr all = table.Combine();
  ASSERT_EQ(all->num_rows(), 5);
  for (int64_t i = 0; i < 5; ++i) {
    EXPECT_EQ(all->column(0).Value<int64_t>(i), i);
    EXPECT_EQ(all->column(1).GetString(i), "n" + std::to_string(i));
  }
}

TEST(SchemaTest, ParseNamesAndTypes) {
  auto schema = Schema::Parse("id:int64, price : decimal(9,2),tags:list<string>");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->ToString(), "id: int64, price: decimal(9,2), tags: list<string>");
  EXPECT_EQ(schema->IndexOf("tags"), 2);
  EXPECT_EQ(schema->IndexOf("nope"), -1);
  auto bad_type = Schema::Parse("a:int32,b:float16");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.status().message(), "schema entry 'b': unknown type 'float16'");
  EXPECT_FALSE(Schema::Parse("a").ok());
  EXPECT_FALSE(Schema::Parse("a:int32,a:int64").ok());
  EXPECT_FALSE(Schema::Parse("").ok());
}

TEST(TableTest, EmptyTable) {
  Table table(TwoColumnSchema());
  EXPECT_EQ(table.num_rows(), 0);
  EXPECT_EQ(table.Slice(0, 10).num_rows(), 0);
  EXPECT_EQ(table.Combine()->num_rows(), 0);
}

}  // namespace
}  // namespace kiln
