#include "kiln/io/json_format.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"

namespace kiln {
namespace {

std::string Json(const std::shared_ptr<Column>& column, int64_t row) {
  std::string out;
  AppendJsonValue(&out, *column, row);
  return out;
}

TEST(JsonFormatTest, StringsAreEscaped) {
  std::string out;
  AppendJsonString(&out, "a\"b\\c\nd\te\x01 é✓");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\te\\u0001 é✓\"");
  out.clear();
  AppendJsonString(&out, std::string("\xff\xc3", 2));  // Invalid UTF-8.
  EXPECT_EQ(out, "\"\\u00ff\\u00c3\"");
}

TEST(JsonFormatTest, CanonicalFormOfEachType) {
  ColumnBuilder f32(DataType::Float32());
  f32.Append<float>(0.1f);
  f32.Append<float>(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(Json(f32.Finish(), 0), "0.10000000149011612");

  ColumnBuilder f64(DataType::Float64());
  f64.Append<double>(-229.44760357038166);
  f64.Append<double>(-std::numeric_limits<double>::infinity());
  f64.AppendNull();
  auto doubles = f64.Finish();
  EXPECT_EQ(Json(doubles, 0), "-229.44760357038166");
  EXPECT_EQ(Json(doubles, 1), "\"-Infinity\"");
  EXPECT_EQ(Json(doubles, 2), "null");

  ColumnBuilder dates(DataType::Date32());
  dates.Append<int32_t>(15044);
  EXPECT_EQ(Json(dates.Finish(), 0), "\"2011-03-11\"");

  ColumnBuilder stamps(DataType::Timestamp());
  stamps.Append<int64_t>(1021538629514550);
  EXPECT_EQ(Json(stamps.Finish(), 0), "1021538629514550");

  ColumnBuilder decimals(DataType::Decimal(9, 2));
  decimals.Append<__int128>(120700);
  EXPECT_EQ(Json(decimals.Finish(), 0), "\"1207.00\"");

  ColumnBuilder bools(DataType::Bool());
  bools.Append<uint8_t>(0);
  EXPECT_EQ(Json(bools.Finish(), 0), "false");

  ColumnBuilder hashes(DataType::UInt32());
  hashes.Append<uint32_t>(0xffffffffu);
  EXPECT_EQ(Json(hashes.Finish(), 0), "4294967295");
}

TEST(JsonFormatTest, ListsWithNullsAndEmptyLists) {
  ColumnBuilder lists(DataType::List(DataType::String()));
  lists.child().AppendString("c2");
  lists.child().AppendNull();
  lists.AppendList();
  lists.AppendList();
  lists.AppendNull();
  auto column = lists.Finish();
  EXPECT_EQ(Json(column, 0), "[\"c2\",null]");
  EXPECT_EQ(Json(column, 1), "[]");
  EXPECT_EQ(Json(column, 2), "null");
}

TEST(JsonFormatTest, RowsKeepSchemaOrder) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{{"id", DataType::Int64()}, {"hist", DataType::List(DataType::Int64())}});
  ColumnBuilder ids(DataType::Int64()), hist(DataType::List(DataType::Int64()));
  ids.Append<int64_t>(2);
  hist.child().Append<int64_t>(2);
  hist.child().Append<int64_t>(1002);
  hist.AppendList();
  auto batch = RecordBatch::Make(schema, {ids.Finish(), hist.Finish()});
  ASSERT_TRUE(batch.ok());
  std::string out;
  AppendJsonRow(&out, **batch, 0);
  EXPECT_EQ(out, "{\"id\":2,\"hist\":[2,1002]}");
}

}  // namespace
}  // namespace kiln
