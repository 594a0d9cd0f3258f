#include "kiln/parquet/schema_export.h"

#include <set>

namespace kiln::parquet {

namespace {

using format::ConvertedType;
using format::FieldRepetitionType;
using format::Type;

format::SchemaElement Element(const std::string& name, FieldRepetitionType::type repetition) {
  format::SchemaElement element;
  element.__set_name(name);
  element.__set_repetition_type(repetition);
  return element;
}

void SetIntegerType(format::SchemaElement* element, int bit_width, ConvertedType::type converted) {
  format::IntType integer;
  integer.__set_bitWidth(static_cast<int8_t>(bit_width));
  integer.__set_isSigned(false);
  format::LogicalType logical;
  logical.__set_INTEGER(integer);
  element->__set_logicalType(logical);
  element->__set_converted_type(converted);
}

void SetDecimalType(format::SchemaElement* element, const DataType& type) {
  format::DecimalType decimal;
  decimal.__set_precision(type.precision());
  decimal.__set_scale(type.scale());
  format::LogicalType logical;
  logical.__set_DECIMAL(decimal);
  element->__set_logicalType(logical);
  element->__set_converted_type(ConvertedType::DECIMAL);
  element->__set_precision(type.precision());
  element->__set_scale(type.scale());
  if (DecimalPhysicalType(type.precision()) == Type::FIXED_LEN_BYTE_ARRAY) {
    element->__set_type_length(DecimalByteWidth(type.precision()));
  }
}

void SetTimestampType(format::SchemaElement* element) {
  format::TimeUnit unit;
  unit.__set_MICROS(format::MicroSeconds());
  format::TimestampType timestamp;
  timestamp.__set_isAdjustedToUTC(false);
  timestamp.__set_unit(unit);
  format::LogicalType logical;
  logical.__set_TIMESTAMP(timestamp);
  // No converted type: TIMESTAMP_MICROS would claim UTC adjustment.
  element->__set_logicalType(logical);
}

// Sets the physical, logical and converted type of a leaf of Kiln type `type`.
Status SetLeafType(const DataType& type, format::SchemaElement* element) {
  format::LogicalType logical;
  switch (type.id()) {
    case TypeId::kBool: element->__set_type(Type::BOOLEAN); return Status::OK();
    case TypeId::kInt32: element->__set_type(Type::INT32); return Status::OK();
    case TypeId::kInt64: element->__set_type(Type::INT64); return Status::OK();
    case TypeId::kUInt32:
      element->__set_type(Type::INT32);
      SetIntegerType(element, 32, ConvertedType::UINT_32);
      return Status::OK();
    case TypeId::kUInt64:
      element->__set_type(Type::INT64);
      SetIntegerType(element, 64, ConvertedType::UINT_64);
      return Status::OK();
    case TypeId::kFloat32: element->__set_type(Type::FLOAT); return Status::OK();
    case TypeId::kFloat64: element->__set_type(Type::DOUBLE); return Status::OK();
    case TypeId::kString:
      element->__set_type(Type::BYTE_ARRAY);
      logical.__set_STRING(format::StringType());
      element->__set_logicalType(logical);
      element->__set_converted_type(ConvertedType::UTF8);
      return Status::OK();
    case TypeId::kBinary: element->__set_type(Type::BYTE_ARRAY); return Status::OK();
    case TypeId::kDate32:
      element->__set_type(Type::INT32);
      logical.__set_DATE(format::DateType());
      element->__set_logicalType(logical);
      element->__set_converted_type(ConvertedType::DATE);
      return Status::OK();
    case TypeId::kTimestamp:
      element->__set_type(Type::INT64);
      SetTimestampType(element);
      return Status::OK();
    case TypeId::kDecimal:
      if (type.precision() < 1 || type.precision() > 38) {
        return Status::InvalidArgument("decimal precision " + std::to_string(type.precision()) +
                                       " is outside 1..38");
      }
      element->__set_type(DecimalPhysicalType(type.precision()));
      SetDecimalType(element, type);
      return Status::OK();
    case TypeId::kList: break;
  }
  return Status::NotSupported("lists of lists (" + type.ToString() + ") cannot be written to Parquet yet");
}

// Appends the elements of one top-level field and returns its layout.
Result<LeafLayout> ExportField(const Field& field, std::vector<format::SchemaElement>* elements) {
  LeafLayout leaf;
  leaf.nullable = field.nullable;
  leaf.path = {field.name};
  leaf.is_list = field.type.is_list();
  leaf.value_type = leaf.is_list ? field.type.value_type() : field.type;
  leaf.max_definition_level = field.nullable ? 1 : 0;
  const auto repetition = field.nullable ? FieldRepetitionType::OPTIONAL : FieldRepetitionType::REQUIRED;
  format::SchemaElement top = Element(field.name, repetition);
  if (leaf.is_list) {
    top.__set_num_children(1);
    format::LogicalType logical;
    logical.__set_LIST(format::ListType());
    top.__set_logicalType(logical);
    top.__set_converted_type(ConvertedType::LIST);
    elements->push_back(top);
    format::SchemaElement repeated = Element("list", FieldRepetitionType::REPEATED);
    repeated.__set_num_children(1);
    elements->push_back(repeated);
    leaf.path.push_back("list");
    leaf.path.push_back("element");
    leaf.max_definition_level += 2;  // The repeated group and the optional element.
    leaf.max_repetition_level = 1;
    top = Element("element", FieldRepetitionType::OPTIONAL);
  }
  Status status = SetLeafType(leaf.value_type, &top);
  if (!status.ok()) return status.WithContext("column '" + field.name + "'");
  leaf.physical_type = top.type;
  leaf.type_length = top.__isset.type_length ? top.type_length : 0;
  elements->push_back(top);
  return leaf;
}

}  // namespace

format::Type::type DecimalPhysicalType(int precision) {
  if (precision <= 9) return Type::INT32;
  if (precision <= 18) return Type::INT64;
  return Type::FIXED_LEN_BYTE_ARRAY;
}

int DecimalByteWidth(int precision) {
  __int128 largest = 1;
  for (int i = 0; i < precision; ++i) largest *= 10;
  largest -= 1;
  // n bytes of two's complement hold values below 2^(8n - 1).
  int bytes = 1;
  while ((largest >> (8 * bytes - 1)) != 0) ++bytes;
  return bytes;
}

Result<ExportedSchema> ExportSchema(const Schema& schema) {
  if (schema.num_fields() == 0) return Status::InvalidArgument("cannot write a Parquet file without columns");
  ExportedSchema exported;
  format::SchemaElement root;
  root.__set_name("schema");
  root.__set_num_children(schema.num_fields());
  exported.elements.push_back(root);
  std::set<std::string> names;
  for (const Field& field : schema.fields()) {
    if (field.name.empty()) return Status::InvalidArgument("a Parquet column needs a non-empty name");
    if (!names.insert(field.name).second) {
      return Status::InvalidArgument("column name '" + field.name + "' appears twice");
    }
    Result<LeafLayout> leaf = ExportField(field, &exported.elements);
    if (!leaf.ok()) return leaf.status();
    exported.leaves.push_back(std::move(*leaf));
  }
  return exported;
}

}  // namespace kiln::parquet
