#include "kiln/core/data_type.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(DataTypeTest, NamesRoundTrip) {
  const DataType types[] = {DataType::Bool(),   DataType::Int32(),   DataType::Int64(),
                            DataType::UInt32(), DataType::UInt64(),  DataType::Float32(),
                            DataType::Float64(), DataType::String(), DataType::Binary(),
                            DataType::Date32(), DataType::Timestamp(), DataType::Decimal(9, 2),
                            DataType::List(DataType::Int64()), DataType::List(DataType::String())};
  for (const DataType& type : types) {
    DataType parsed;
    ASSERT_TRUE(DataType::FromString(type.ToString(), &parsed)) << type.ToString();
    EXPECT_EQ(parsed, type) << type.ToString();
  }
  EXPECT_EQ(DataType::List(DataType::String()).ToString(), "list<string>");
  EXPECT_EQ(DataType::Decimal(18, 3).ToString(), "decimal(18,3)");
}

TEST(DataTypeTest, RejectsUnknownNames) {
  DataType parsed;
  EXPECT_FALSE(DataType::FromString("int33", &parsed));
  EXPECT_FALSE(DataType::FromString("list<>", &parsed));
  EXPECT_FALSE(DataType::FromString("decimal(2,3)", &parsed));
  EXPECT_FALSE(DataType::FromString("decimal(9,2)x", &parsed));
}

TEST(DataTypeTest, WidthsAndEquality) {
  EXPECT_EQ(DataType::Bool().byte_width(), 1);
  EXPECT_EQ(DataType::Date32().byte_width(), 4);
  EXPECT_EQ(DataType::Timestamp().byte_width(), 8);
  EXPECT_EQ(DataType::Decimal(30, 2).byte_width(), 16);
  EXPECT_EQ(DataType::String().byte_width(), 0);
  EXPECT_NE(DataType::Decimal(9, 2), DataType::Decimal(9, 3));
  EXPECT_NE(DataType::List(DataType::Int64()), DataType::List(DataType::String()));
  EXPECT_TRUE(DataType::String().is_binary_like());
  EXPECT_TRUE(DataType::List(DataType::Int64()).is_list());
}

}  // namespace
}  // namespace kiln
