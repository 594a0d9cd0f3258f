#include "kiln/core/column.h"

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"

namespace kiln {
namespace {

template <typename T>
std::shared_ptr<Column> BuildFixed(DataType type, const std::vector<std::optional<T>>& values) {
  ColumnBuilder builder(type);
  for (const auto& value : values) {
    if (value) {
      builder.Append<T>(*value);
    } else {
      builder.AppendNull();
    }
  }
  return builder.Finish();
}

template <typename T>
void ExpectFixedRoundTrip(DataType type, std::vector<std::optional<T>> values) {
  auto column = BuildFixed<T>(type, values);
  ASSERT_EQ(column->length(), static_cast<int64_t>(values.size()));
  int64_t nulls = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(column->IsValid(i), values[i].has_value()) << type.ToString() << " row " << i;
    if (values[i]) {
      EXPECT_EQ(column->template Value<T>(i), *values[i]) << type.ToString() << " row " << i;
    }
    nulls += !values[i];
  }
  EXPECT_EQ(column->null_count(), nulls);
}

TEST(ColumnTest, EveryFixedWidthTypeStoresValuesAndNulls) {
  ExpectFixedRoundTrip<uint8_t>(DataType::Bool(), {1, std::nullopt, 0});
  ExpectFixedRoundTrip<int32_t>(DataType::Int32(), {-5, std::nullopt, 2147483647});
  ExpectFixedRoundTrip<int64_t>(DataType::Int64(), {std::nullopt, -9000000000LL, 3});
  ExpectFixedRoundTrip<uint32_t>(DataType::UInt32(), {0xdeadbeefu, std::nullopt});
  ExpectFixedRoundTrip<uint64_t>(DataType::UInt64(), {~0ull, 1});
  ExpectFixedRoundTrip<float>(DataType::Float32(), {1.5f, std::nullopt, -0.25f});
  ExpectFixedRoundTrip<double>(DataType::Float64(), {std::nullopt, 3.25});
  ExpectFixedRoundTrip<int32_t>(DataType::Date32(), {0, 15000, std::nullopt});
  ExpectFixedRoundTrip<int64_t>(DataType::Timestamp(), {1700000000000000LL, std::nullopt});
  ExpectFixedRoundTrip<__int128>(DataType::Decimal(38, 2), {static_cast<__int128>(-120700), std::nullopt});
}

TEST(ColumnTest, NoNullsMeansNoValidityBuffer) {
  auto column = BuildFixed<int32_t>(DataType::Int32(), {1, 2, 3});
  EXPECT_EQ(column->validity_bits(), nullptr);
  EXPECT_EQ(column->null_count(), 0);
}

TEST(ColumnTest, FirstNullAfterManyValidRowsKeepsEarlierRowsValid) {
  ColumnBuilder builder(DataType::Int64());
  for (int i = 0; i < 100; ++i) builder.Append<int64_t>(i);
  builder.AppendNull();
  builder.Append<int64_t>(7);
  auto column = builder.Finish();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(column->IsValid(i)) << i;
  EXPECT_TRUE(column->IsNull(100));
  EXPECT_TRUE(column->IsValid(101));
  EXPECT_EQ(column->null_count(), 1);
}

TEST(ColumnTest, StringsWithNullsAndEmptyValues) {
  ColumnBuilder builder(DataType::String());
  builder.AppendString("alpha");
  builder.AppendNull();
  builder.AppendString("");
  builder.AppendString("é✓");
  auto column = builder.Finish();
  ASSERT_EQ(column->length(), 4);
  EXPECT_EQ(column->GetString(0), "alpha");
  EXPECT_TRUE(column->IsNull(1));
  EXPECT_TRUE(column->IsValid(2));
  EXPECT_EQ(column->GetString(2), "");
  EXPECT_EQ(column->GetString(3), "é✓");
}

TEST(ColumnTest, ListsOfInt64AndString) {
  ColumnBuilder ints(DataType::List(DataType::Int64()));
  ints.child().Append<int64_t>(1);
  ints.child().Append<int64_t>(2);
  ints.AppendList();
  ints.AppendNull();
  ints.AppendList();  // empty list, not null
  ints.child().AppendNull();
  ints.AppendList();
  auto column = ints.Finish();
  ASSERT_EQ(column->length(), 4);
  EXPECT_EQ(column->ListEnd(0) - column->ListBegin(0), 2);
  EXPECT_EQ(column->child().Value<int64_t>(column->ListBegin(0) + 1), 2);
  EXPECT_TRUE(column->IsNull(1));
  EXPECT_TRUE(column->IsValid(2));
  EXPECT_EQ(column->ListEnd(2), column->ListBegin(2));
  EXPECT_TRUE(column->child().IsNull(column->ListBegin(3)));

  ColumnBuilder strings(DataType::List(DataType::String()));
  strings.child().AppendString("a");
  strings.child().AppendString("bc");
  strings.AppendList();
  auto string_lists = strings.Finish();
  EXPECT_EQ(string_lists->child().GetString(1), "bc");
}

TEST(ColumnTest, SliceSharesBuffersAndShiftsRows) {
  auto column = BuildFixed<int32_t>(DataType::Int32(), {0, 1, std::nullopt, 3, 4, std::nullopt, 6, 7, 8, 9, 10});
  auto slice = column->Slice(2, 5);
  EXPECT_EQ(slice->length(), 5);
  EXPECT_EQ(slice->parts().values.get(), column->parts().values.get());
  EXPECT_TRUE(slice->IsNull(0));
  EXPECT_EQ(slice->Value<int32_t>(1), 3);
  EXPECT_TRUE(slice->IsNull(3));
  EXPECT_EQ(slice->null_count(), 2);
  auto nested = slice->Slice(1, 2);
  EXPECT_EQ(nested->Value<int32_t>(0), 3);
  EXPECT_EQ(nested->null_count(), 0);
}

TEST(ColumnTest, SliceOfStringsAndLists) {
  ColumnBuilder strings(DataType::String());
  for (const char* s : {"a", "bb", "ccc", "dddd"}) strings.AppendString(s);
  auto slice = strings.Finish()->Slice(1, 2);
  EXPECT_EQ(slice->GetString(0), "bb");
  EXPECT_EQ(slice->GetString(1), "ccc");

  ColumnBuilder lists(DataType::List(DataType::Int64()));
  for (int row = 0; row < 4; ++row) {
    for (int i = 0; i < row; ++i) lists.child().Append<int64_t>(row * 10 + i);
    lists.AppendList();
  }
  auto list_slice = lists.Finish()->Slice(2, 2);
  EXPECT_EQ(list_slice->ListEnd(0) - list_slice->ListBegin(0), 2);
  EXPECT_EQ(list_slice->child().Value<int64_t>(list_slice->ListBegin(1)), 30);
}

TEST(ColumnTest, AppendFromCopiesEveryType) {
  ColumnBuilder source(DataType::List(DataType::String()));
  source.child().AppendString("x");
  source.AppendList();
  source.AppendNull();
  auto original = source.Finish();
  ColumnBuilder copy(original->type());
  copy.AppendFrom(*original, 1);
  copy.AppendFrom(*original, 0);
  auto copied = copy.Finish();
  EXPECT_TRUE(copied->IsNull(0));
  EXPECT_EQ(copied->child().GetString(copied->ListBegin(1)), "x");
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST(ColumnBuilderTest, TruncateDropsPartialRowsOfEveryKind) {
  ColumnBuilder ints(DataType::Int32());
  ints.Append<int32_t>(1);
  ints.AppendNull();
  ints.Truncate(1);
  ints.Append<int32_t>(5);
  auto int_column = ints.Finish();
  ASSERT_EQ(int_column->length(), 2);
  EXPECT_TRUE(int_column->IsValid(1));
  EXPECT_EQ(int_column->Value<int32_t>(1), 5);

  ColumnBuilder strings(DataType::String());
  strings.AppendString("keep");
  strings.AppendString("drop-me");
  strings.Truncate(1);
  strings.AppendString("x");
  auto string_column = strings.Finish();
  EXPECT_EQ(string_column->GetString(1), "x");

  ColumnBuilder lists(DataType::List(DataType::Int64()));
  lists.child().Append<int64_t>(1);
  lists.AppendList();
  lists.child().Append<int64_t>(2);
  lists.child().Append<int64_t>(3);
  lists.AppendList();
  lists.Truncate(1);
  lists.child().Append<int64_t>(9);
  lists.AppendList();
  auto list_column = lists.Finish();
  ASSERT_EQ(list_column->length(), 2);
  EXPECT_EQ(list_column->child().length(), 2);
  EXPECT_EQ(list_column->child().Value<int64_t>(list_column->ListBegin(1)), 9);
}

}  // namespace
}  // namespace kiln
