// CountEncode and FrequencyEncode: counts from split fits, nulls and unseen
// values, empty input, state through Parquet.
#include <gtest/gtest.h>

#include "fit_helpers.h"
#include "kiln/prep/count_encode.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::ColumnNamed;
using testing::FitInPieces;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::SaveAndLoad;
using testing::Values;

RecordBatchPtr Items() {
  return MakeBatch({{"s", DataType::String()}, {"u", DataType::UInt64()}},
                   {MakeColumn<std::string>(DataType::String(), {"x", "y", std::nullopt, "x", "x", "z"}),
                    MakeColumn<uint64_t>(DataType::UInt64(), {5, 5, 6, std::nullopt, ~uint64_t{0}, 5})});
}

RecordBatchPtr NewItems() {
  return MakeBatch({{"s", DataType::String()}, {"u", DataType::UInt64()}},
                   {MakeColumn<std::string>(DataType::String(), {"z", "new", std::nullopt}),
                    MakeColumn<uint64_t>(DataType::UInt64(), {~uint64_t{0}, 7, 6})});
}

TEST(CountEncodeTest, CountsAddColumnsAndUnseenIsZero) {
  CountEncode op({{{"s", "u"}}, false, ""});
  FitInPieces(&op, Items(), 3);
  auto out = op.Transform(Items());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->schema()->ToString(),
            "s: string, u: uint64, s_count: int64 not null, u_count: int64 not null");
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*out, "s_count")), (std::vector<int64_t>{3, 1, 0, 3, 3, 1}));
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*out, "u_count")), (std::vector<int64_t>{3, 3, 1, 0, 1, 3}));
  out = op.Transform(NewItems());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*out, "s_count")), (std::vector<int64_t>{1, 0, 0}));
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*out, "u_count")), (std::vector<int64_t>{1, 0, 1}));
}

TEST(CountEncodeTest, FrequencyDividesByFittedRows) {
  CountEncode op({{}, true, ""});  // Default: string columns.
  FitInPieces(&op, Items(), 2);
  EXPECT_EQ(op.inputs(), (std::vector<std::string>{"s"}));
  auto out = op.Transform(Items());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "s_freq")), (std::vector<double>{0.5, 1 / 6.0, 0, 0.5, 0.5, 1 / 6.0}));
}

TEST(CountEncodeTest, EmptyFitGivesZeros) {
  CountEncode op({{{"s"}}, true, "_f"});
  FitInPieces(&op, Items()->Slice(0, 0), 2);
  auto out = op.Transform(Items());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "s_f")), std::vector<double>(6, 0));
}

TEST(CountEncodeTest, StateRoundTripThroughParquet) {
  CountEncode op({{{"s", "u"}}, true, ""});
  FitInPieces(&op, Items(), 2);
  CountEncode loaded({{{"s", "u"}}, true, ""});
  SaveAndLoad(op, &loaded, Items()->schema());
  auto a = op.Transform(NewItems());
  auto b = loaded.Transform(NewItems());
  ASSERT_TRUE(a.ok() && b.ok());
  for (const char* name : {"s_freq", "u_freq"}) {
    EXPECT_EQ(Values<double>(ColumnNamed(*a, name)), Values<double>(ColumnNamed(*b, name))) << name;
  }
  EXPECT_EQ(Values<double>(ColumnNamed(*b, "u_freq")), (std::vector<double>{1 / 6.0, 0, 1 / 6.0}));
}

TEST(CountEncodeTest, TakenOutputNameFails) {
  auto batch = MakeBatch({{"s", DataType::String()}, {"s_count", DataType::Int64()}},
                         {MakeColumn<std::string>(DataType::String(), {"a"}),
                          MakeColumn<int64_t>(DataType::Int64(), {1})});
  EXPECT_FALSE(CountEncode({{{"s"}}, false, ""}).Bind(batch->schema()).ok());
}

}  // namespace
}  // namespace kiln::prep
