// Schema import: Parquet schema trees to Kiln columns and leaf descriptors,
// including the legacy list forms and the shapes Kiln does not read.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/parquet/schema_import.h"

namespace kiln::parquet {
namespace {

using format::ConvertedType;
using format::FieldRepetitionType;
using format::SchemaElement;
using format::Type;

SchemaElement Root(int children) {
  SchemaElement root;
  root.name = "schema";
  root.__set_num_children(children);
  return root;
}

SchemaElement Leaf(const std::string& name, Type::type type, FieldRepetitionType::type repetition) {
  SchemaElement leaf;
  leaf.name = name;
  leaf.__set_type(type);
  leaf.__set_repetition_type(repetition);
  return leaf;
}

SchemaElement Group(const std::string& name, int children, FieldRepetitionType::type repetition) {
  SchemaElement group;
  group.name = name;
  group.__set_num_children(children);
  group.__set_repetition_type(repetition);
  return group;
}

SchemaElement WithConverted(SchemaElement element, ConvertedType::type converted) {
  element.__set_converted_type(converted);
  return element;
}

constexpr auto kRequired = FieldRepetitionType::REQUIRED;
constexpr auto kOptional = FieldRepetitionType::OPTIONAL;
constexpr auto kRepeated = FieldRepetitionType::REPEATED;

FileSchema Import(const std::vector<SchemaElement>& elements) {
  Result<FileSchema> schema = ImportSchema(elements);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? *schema : FileSchema{};
}

TEST(ReaderSchemaTest, PrimitivesMapToKilnTypes) {
  SchemaElement decimal = Leaf("price", Type::INT64, kOptional);
  decimal.__set_converted_type(ConvertedType::DECIMAL);
  decimal.__set_precision(12);
  decimal.__set_scale(2);
  SchemaElement micros = Leaf("ts", Type::INT64, kOptional);
  format::LogicalType timestamp;
  timestamp.TIMESTAMP.unit.__set_NANOS(format::NanoSeconds());
  timestamp.__isset.TIMESTAMP = true;
  micros.__set_logicalType(timestamp);
  SchemaElement fixed = Leaf("raw", Type::FIXED_LEN_BYTE_ARRAY, kRequired);
  fixed.__set_type_length(3);
  FileSchema schema = Import({Root(9), Leaf("flag", Type::BOOLEAN, kRequired),
                              WithConverted(Leaf("tiny", Type::INT32, kOptional), ConvertedType::INT_8),
                              WithConverted(Leaf("u32", Type::INT32, kOptional), ConvertedType::UINT_32),
                              WithConverted(Leaf("name", Type::BYTE_ARRAY, kOptional), ConvertedType::UTF8),
                              Leaf("blob", Type::BYTE_ARRAY, kOptional), Leaf("legacy", Type::INT96, kOptional),
                              decimal, micros, fixed});
  ASSERT_EQ(schema.columns.size(), 9u);
  EXPECT_EQ(schema.num_leaves, 9);
  const std::vector<std::string> types = {"bool",      "int32",         "uint32",    "string", "binary",
                                          "timestamp", "decimal(12,2)", "timestamp", "binary"};
  for (size_t i = 0; i < types.size(); ++i) {
    EXPECT_TRUE(schema.columns[i].support.ok()) << schema.columns[i].support.ToString();
    EXPECT_EQ(schema.columns[i].field.type.ToString(), types[i]) << schema.columns[i].field.name;
    EXPECT_EQ(schema.columns[i].descriptor.leaf_index, static_cast<int>(i));
  }
  EXPECT_FALSE(schema.columns[0].field.nullable);
  EXPECT_TRUE(schema.columns[1].field.nullable);
  EXPECT_EQ(schema.columns[0].descriptor.max_definition_level, 0);
  EXPECT_EQ(schema.columns[1].descriptor.max_definition_level, 1);
  EXPECT_EQ(schema.columns[5].descriptor.conversion, Conversion::kInt96ToMicros);
  EXPECT_EQ(schema.columns[6].descriptor.conversion, Conversion::kDecimalFromInt64);
  EXPECT_EQ(schema.columns[7].descriptor.conversion, Conversion::kNanosToMicros);
  EXPECT_EQ(schema.columns[8].descriptor.conversion, Conversion::kFixedToBinary);
  EXPECT_EQ(schema.columns[8].descriptor.type_length, 3);
}

TEST(ReaderSchemaTest, ThreeLevelListOfOptionalElements) {
  FileSchema schema = Import({Root(1), WithConverted(Group("tags", 1, kOptional), ConvertedType::LIST),
                              Group("list", 1, kRepeated), Leaf("element", Type::INT64, kOptional)});
  const ImportedColumn& tags = schema.columns[0];
  ASSERT_TRUE(tags.support.ok()) << tags.support.ToString();
  EXPECT_EQ(tags.field.type.ToString(), "list<int64>");
  EXPECT_EQ(tags.descriptor.path, "tags.list.element");
  EXPECT_EQ(tags.descriptor.max_definition_level, 3);
  EXPECT_EQ(tags.descriptor.max_repetition_level, 1);
  EXPECT_EQ(tags.descriptor.list_definition_level, 1);
  EXPECT_EQ(tags.descriptor.element_definition_level, 2);
}

TEST(ReaderSchemaTest, LegacyTwoLevelListsHaveRequiredElements) {
  // Rule 1: the repeated field is a primitive.
  FileSchema primitive = Import(
      {Root(1), WithConverted(Group("ids", 1, kRequired), ConvertedType::LIST), Leaf("id", Type::INT32, kRepeated)});
  ASSERT_TRUE(primitive.columns[0].support.ok());
  EXPECT_EQ(primitive.columns[0].descriptor.max_definition_level, 1);
  EXPECT_EQ(primitive.columns[0].descriptor.list_definition_level, 0);
  EXPECT_EQ(primitive.columns[0].descriptor.element_definition_level, 1);
  EXPECT_FALSE(primitive.columns[0].field.nullable);
  // A bare repeated primitive is a required list of required elements.
  FileSchema bare = Import({Root(1), Leaf("ids", Type::INT64, kRepeated)});
  ASSERT_TRUE(bare.columns[0].support.ok());
  EXPECT_EQ(bare.columns[0].field.type.ToString(), "list<int64>");
  EXPECT_EQ(bare.columns[0].descriptor.max_definition_level, 1);
  EXPECT_EQ(bare.columns[0].descriptor.element_definition_level, 1);
}

TEST(ReaderSchemaTest, StructElementsAndNestingAreNotSupported) {
  // Rule 3: a one-field group named "array" is a struct element.
  FileSchema array =
      Import({Root(2), WithConverted(Group("points", 1, kOptional), ConvertedType::LIST), Group("array", 1, kRepeated),
              Leaf("x", Type::INT32, kRequired), Leaf("id", Type::INT32, kRequired)});
  EXPECT_EQ(array.columns[0].support.code(), Status::Code::kNotSupported);
  EXPECT_NE(array.columns[0].support.message().find("'points'"), std::string::npos);
  EXPECT_TRUE(array.columns[1].support.ok());
  EXPECT_EQ(array.columns[1].descriptor.leaf_index, 1);
  // Nested lists, maps and structs.
  FileSchema nested =
      Import({Root(3), WithConverted(Group("outer", 1, kOptional), ConvertedType::LIST), Group("list", 1, kRepeated),
              WithConverted(Group("element", 1, kOptional), ConvertedType::LIST), Group("list", 1, kRepeated),
              Leaf("element", Type::INT32, kOptional), WithConverted(Group("m", 1, kOptional), ConvertedType::MAP),
              Group("key_value", 2, kRepeated), Leaf("key", Type::BYTE_ARRAY, kRequired),
              Leaf("value", Type::INT32, kOptional), Group("s", 1, kOptional), Leaf("a", Type::INT32, kOptional)});
  ASSERT_EQ(nested.columns.size(), 3u);
  for (const ImportedColumn& column : nested.columns) {
    EXPECT_EQ(column.support.code(), Status::Code::kNotSupported) << column.field.name;
  }
  EXPECT_NE(nested.columns[1].support.message().find("maps"), std::string::npos);
  EXPECT_EQ(nested.columns[2].first_leaf, 3);
  EXPECT_EQ(nested.num_leaves, 4);
}

TEST(ReaderSchemaTest, UnsupportedAnnotationsNameTheColumn) {
  SchemaElement interval = Leaf("span", Type::FIXED_LEN_BYTE_ARRAY, kOptional);
  interval.__set_type_length(12);
  interval.__set_converted_type(ConvertedType::INTERVAL);
  SchemaElement wide = Leaf("wide", Type::FIXED_LEN_BYTE_ARRAY, kOptional);
  wide.__set_type_length(20);
  wide.__set_converted_type(ConvertedType::DECIMAL);
  wide.__set_precision(45);
  wide.__set_scale(0);
  FileSchema schema =
      Import({Root(3), interval, wide, WithConverted(Leaf("d", Type::INT64, kOptional), ConvertedType::DATE)});
  for (const ImportedColumn& column : schema.columns) {
    EXPECT_EQ(column.support.code(), Status::Code::kNotSupported);
    EXPECT_NE(column.support.message().find("'" + column.field.name + "'"), std::string::npos)
        << column.support.message();
  }
}

TEST(ReaderSchemaTest, MalformedTreesAreCorruption) {
  EXPECT_EQ(ImportSchema({}).status().code(), Status::Code::kCorruption);
  // Children that overrun the list.
  EXPECT_EQ(ImportSchema({Root(3), Leaf("a", Type::INT32, kRequired)}).status().code(), Status::Code::kCorruption);
  // Elements after the root's subtree.
  EXPECT_EQ(
      ImportSchema({Root(1), Leaf("a", Type::INT32, kRequired), Leaf("b", Type::INT32, kRequired)}).status().code(),
      Status::Code::kCorruption);
  // A leaf without a type, a bad type, a bad FIXED_LEN_BYTE_ARRAY width.
  SchemaElement untyped;
  untyped.name = "u";
  EXPECT_EQ(ImportSchema({Root(1), untyped}).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(ImportSchema({Root(1), Leaf("t", static_cast<Type::type>(42), kRequired)}).status().code(),
            Status::Code::kCorruption);
  EXPECT_EQ(ImportSchema({Root(1), Leaf("f", Type::FIXED_LEN_BYTE_ARRAY, kRequired)}).status().code(),
            Status::Code::kCorruption);
  // Deep chains must not exhaust the stack.
  std::vector<SchemaElement> deep = {Root(1)};
  for (int i = 0; i < 100000; ++i) deep.push_back(Group("g", 1, kOptional));
  deep.push_back(Leaf("x", Type::INT32, kOptional));
  EXPECT_EQ(ImportSchema(deep).status().code(), Status::Code::kCorruption);
}

TEST(ReaderSchemaTest, AnnotationNames) {
  SchemaElement decimal = Leaf("p", Type::INT32, kOptional);
  decimal.__set_converted_type(ConvertedType::DECIMAL);
  decimal.__set_precision(9);
  decimal.__set_scale(2);
  EXPECT_EQ(AnnotationName(decimal), "DECIMAL(9,2)");
  EXPECT_EQ(AnnotationName(WithConverted(Leaf("s", Type::BYTE_ARRAY, kOptional), ConvertedType::UTF8)), "UTF8");
  EXPECT_EQ(AnnotationName(Leaf("i", Type::INT32, kOptional)), "");
  EXPECT_EQ(PhysicalTypeName(Type::FIXED_LEN_BYTE_ARRAY), "FIXED_LEN_BYTE_ARRAY");
}

}  // namespace
}  // namespace kiln::parquet
