// ExportSchema: Kiln fields to Parquet schema elements and leaf layouts.

#include <gtest/gtest.h>

#include "kiln/parquet/schema_export.h"

namespace kiln::parquet {
namespace {

using format::ConvertedType;
using format::FieldRepetitionType;
using format::Type;

ExportedSchema Export(const std::vector<Field>& fields) {
  auto exported = ExportSchema(Schema(fields));
  EXPECT_TRUE(exported.ok()) << exported.status().ToString();
  return exported.ok() ? *exported : ExportedSchema();
}

TEST(ParquetSchemaExport, FlatTypesGetPhysicalLogicalAndConvertedTypes) {
  const ExportedSchema schema = Export({{"b", DataType::Bool(), true},
                                        {"u32", DataType::UInt32(), true},
                                        {"u64", DataType::UInt64(), false},
                                        {"s", DataType::String(), true},
                                        {"bin", DataType::Binary(), true},
                                        {"d", DataType::Date32(), true},
                                        {"ts", DataType::Timestamp(), true}});
  ASSERT_EQ(schema.elements.size(), 8u);
  EXPECT_EQ(schema.elements[0].num_children, 7);
  EXPECT_EQ(schema.elements[1].type, Type::BOOLEAN);
  EXPECT_FALSE(schema.elements[1].__isset.logicalType);

  const format::SchemaElement& u32 = schema.elements[2];
  EXPECT_EQ(u32.type, Type::INT32);
  EXPECT_EQ(u32.converted_type, ConvertedType::UINT_32);
  EXPECT_EQ(u32.logicalType.INTEGER.bitWidth, 32);
  EXPECT_FALSE(u32.logicalType.INTEGER.isSigned);

  const format::SchemaElement& u64 = schema.elements[3];
  EXPECT_EQ(u64.type, Type::INT64);
  EXPECT_EQ(u64.converted_type, ConvertedType::UINT_64);
  EXPECT_EQ(u64.repetition_type, FieldRepetitionType::REQUIRED);

  EXPECT_EQ(schema.elements[4].type, Type::BYTE_ARRAY);
  EXPECT_TRUE(schema.elements[4].logicalType.__isset.STRING);
  EXPECT_EQ(schema.elements[4].converted_type, ConvertedType::UTF8);
  EXPECT_EQ(schema.elements[5].type, Type::BYTE_ARRAY);
  EXPECT_FALSE(schema.elements[5].__isset.logicalType);
  EXPECT_FALSE(schema.elements[5].__isset.converted_type);
  EXPECT_EQ(schema.elements[6].converted_type, ConvertedType::DATE);

  // Naive microseconds: no converted type, which would imply UTC.
  const format::SchemaElement& ts = schema.elements[7];
  EXPECT_EQ(ts.type, Type::INT64);
  EXPECT_TRUE(ts.logicalType.__isset.TIMESTAMP);
  EXPECT_FALSE(ts.logicalType.TIMESTAMP.isAdjustedToUTC);
  EXPECT_TRUE(ts.logicalType.TIMESTAMP.unit.__isset.MICROS);
  EXPECT_FALSE(ts.__isset.converted_type);

  EXPECT_EQ(schema.leaves[0].max_definition_level, 1);
  EXPECT_EQ(schema.leaves[2].max_definition_level, 0);
  EXPECT_EQ(schema.leaves[2].path, std::vector<std::string>{"u64"});
}

TEST(ParquetSchemaExport, DecimalStorageFollowsPrecision) {
  const struct {
    int precision;
    Type::type type;
    int width;  // FIXED_LEN_BYTE_ARRAY bytes, else 0.
  } cases[] = {{1, Type::INT32, 0},  {9, Type::INT32, 0},
               {10, Type::INT64, 0}, {18, Type::INT64, 0},
               {19, Type::FIXED_LEN_BYTE_ARRAY, 9}, {20, Type::FIXED_LEN_BYTE_ARRAY, 9},
               {22, Type::FIXED_LEN_BYTE_ARRAY, 10}, {38, Type::FIXED_LEN_BYTE_ARRAY, 16}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.precision);
    const ExportedSchema schema = Export({{"x", DataType::Decimal(c.precision, 1), true}});
    const format::SchemaElement& leaf = schema.elements[1];
    EXPECT_EQ(leaf.type, c.type);
    EXPECT_EQ(leaf.converted_type, ConvertedType::DECIMAL);
    EXPECT_EQ(leaf.precision, c.precision);
    EXPECT_EQ(leaf.scale, 1);
    EXPECT_EQ(leaf.logicalType.DECIMAL.precision, c.precision);
    EXPECT_EQ(leaf.logicalType.DECIMAL.scale, 1);
    EXPECT_EQ(leaf.__isset.type_length, c.width != 0);
    if (c.width != 0) {
      EXPECT_EQ(leaf.type_length, c.width);
    }
    EXPECT_EQ(schema.leaves[0].type_length, c.width);
  }
}

TEST(ParquetSchemaExport, DecimalByteWidthIsTheSmallestThatHoldsEveryValue) {
  // The smallest n with 10^p - 1 < 2^(8n - 1).
  const int expected[39] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 9,
                            9, 9, 10, 10, 11, 11, 11, 12, 12, 13, 13, 13, 14, 14, 15, 15, 16, 16, 16};
  for (int precision = 1; precision <= 38; ++precision) {
    EXPECT_EQ(DecimalByteWidth(precision), expected[precision]) << precision;
  }
}

TEST(ParquetSchemaExport, ListsUseTheThreeLevelForm) {
  const ExportedSchema schema = Export({{"l", DataType::List(DataType::String()), true},
                                        {"r", DataType::List(DataType::Decimal(30, 2)), false}});
  ASSERT_EQ(schema.elements.size(), 7u);
  const format::SchemaElement& outer = schema.elements[1];
  EXPECT_EQ(outer.repetition_type, FieldRepetitionType::OPTIONAL);
  EXPECT_EQ(outer.converted_type, ConvertedType::LIST);
  EXPECT_TRUE(outer.logicalType.__isset.LIST);
  EXPECT_EQ(outer.num_children, 1);
  EXPECT_FALSE(outer.__isset.type);
  EXPECT_EQ(schema.elements[2].name, "list");
  EXPECT_EQ(schema.elements[2].repetition_type, FieldRepetitionType::REPEATED);
  EXPECT_EQ(schema.elements[2].num_children, 1);
  EXPECT_EQ(schema.elements[3].name, "element");
  EXPECT_EQ(schema.elements[3].repetition_type, FieldRepetitionType::OPTIONAL);
  EXPECT_EQ(schema.elements[3].converted_type, ConvertedType::UTF8);
  EXPECT_EQ(schema.elements[4].repetition_type, FieldRepetitionType::REQUIRED);
  EXPECT_EQ(schema.elements[6].type, Type::FIXED_LEN_BYTE_ARRAY);

  const LeafLayout& nullable = schema.leaves[0];
  EXPECT_TRUE(nullable.is_list);
  EXPECT_EQ(nullable.path, (std::vector<std::string>{"l", "list", "element"}));
  EXPECT_EQ(nullable.max_definition_level, 3);
  EXPECT_EQ(nullable.max_repetition_level, 1);
  EXPECT_EQ(nullable.value_type, DataType::String());
  EXPECT_EQ(schema.leaves[1].max_definition_level, 2);
  EXPECT_EQ(schema.leaves[1].type_length, 13);
}

TEST(ParquetSchemaExport, RejectsWhatParquetCannotHold) {
  EXPECT_EQ(ExportSchema(Schema()).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ExportSchema(Schema({{"", DataType::Int32(), true}})).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(ExportSchema(Schema({{"a", DataType::Int32(), true}, {"a", DataType::Int64(), true}})).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(ExportSchema(Schema({{"x", DataType::Decimal(39, 0), true}})).status().code(),
            Status::Code::kInvalidArgument);
  auto nested = ExportSchema(Schema({{"ll", DataType::List(DataType::List(DataType::Int32())), true}}));
  EXPECT_EQ(nested.status().code(), Status::Code::kNotSupported);
  EXPECT_NE(nested.status().message().find("'ll'"), std::string::npos) << nested.status().ToString();
}

}  // namespace
}  // namespace kiln::parquet
