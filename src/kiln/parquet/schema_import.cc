#include "kiln/parquet/schema_import.h"

#include <memory>

namespace kiln::parquet {

namespace {

using format::ConvertedType;
using format::FieldRepetitionType;
using format::SchemaElement;
using format::Type;

// The schema list as a tree, so that shapes can be recognised.
struct SchemaNode {
  const SchemaElement* element = nullptr;
  std::vector<SchemaNode> children;  // Empty for primitives.
  int first_leaf = 0;                // Leaves of the subtree, in depth-first order.
  int num_leaves = 0;
};

bool IsPrimitive(const SchemaElement& element) { return !element.__isset.num_children || element.num_children <= 0; }

// Builds the subtree whose root is elements[*index], advancing *index past it.
Status BuildTree(const std::vector<SchemaElement>& elements, size_t* index, int depth, int* next_leaf,
                 SchemaNode* node) {
  if (depth > kMaxSchemaDepth) {
    return Status::Corruption("schema is nested deeper than " + std::to_string(kMaxSchemaDepth) + " levels");
  }
  if (*index >= elements.size()) return Status::Corruption("schema groups claim more children than the schema has");
  const SchemaElement& element = elements[(*index)++];
  node->element = &element;
  node->first_leaf = *next_leaf;
  const int repetition = element.repetition_type;
  if (element.__isset.repetition_type && (repetition < 0 || repetition > FieldRepetitionType::REPEATED)) {
    return Status::Corruption("schema element '" + element.name + "' has an invalid repetition " +
                              std::to_string(repetition));
  }
  if (IsPrimitive(element)) {
    // The root may be an empty group; every other childless element is a leaf.
    if (depth > 0 && !element.__isset.type) {
      return Status::Corruption("schema leaf '" + element.name + "' has no physical type");
    }
    if (depth > 0) ++*next_leaf;
    node->num_leaves = *next_leaf - node->first_leaf;
    return Status::OK();
  }
  if (static_cast<size_t>(element.num_children) > elements.size() - *index) {
    return Status::Corruption("schema element '" + element.name + "' claims " + std::to_string(element.num_children) +
                              " children but the schema ends first");
  }
  node->children.resize(element.num_children);
  for (SchemaNode& child : node->children) {
    Status status = BuildTree(elements, index, depth + 1, next_leaf, &child);
    if (!status.ok()) return status;
  }
  node->num_leaves = *next_leaf - node->first_leaf;
  return Status::OK();
}

bool IsRepeated(const SchemaElement& element) { return element.repetition_type == FieldRepetitionType::REPEATED; }
bool IsOptional(const SchemaElement& element) { return element.repetition_type == FieldRepetitionType::OPTIONAL; }

bool HasConverted(const SchemaElement& element, ConvertedType::type type) {
  return element.__isset.converted_type && element.converted_type == type;
}

bool IsListAnnotated(const SchemaElement& element) {
  return (element.__isset.logicalType && element.logicalType.__isset.LIST) ||
         HasConverted(element, ConvertedType::LIST);
}

bool IsMapAnnotated(const SchemaElement& element) {
  return (element.__isset.logicalType && element.logicalType.__isset.MAP) ||
         HasConverted(element, ConvertedType::MAP) || HasConverted(element, ConvertedType::MAP_KEY_VALUE);
}

// The Kiln type of a primitive element and how its values convert.
struct PrimitiveMapping {
  DataType type;
  Conversion conversion = Conversion::kNone;
};

std::string Describe(const SchemaElement& element) {
  std::string annotation = AnnotationName(element);
  std::string physical = PhysicalTypeName(element.type);
  return annotation.empty() ? physical : annotation + " stored as " + physical;
}

Result<PrimitiveMapping> Unsupported(const SchemaElement& element) {
  return Status::NotSupported(Describe(element) + " is not supported");
}

Result<PrimitiveMapping> MapDecimal(const SchemaElement& element, int precision, int scale) {
  if (precision < 1 || scale < 0 || scale > precision) {
    return Status::NotSupported("DECIMAL with precision " + std::to_string(precision) + " and scale " +
                                std::to_string(scale) + " is invalid");
  }
  if (precision > 38) {
    return Status::NotSupported("DECIMAL(" + std::to_string(precision) + "," + std::to_string(scale) +
                                ") is wider than Kiln's 38 digits");
  }
  const DataType type = DataType::Decimal(precision, scale);
  switch (element.type) {
    case Type::INT32: return PrimitiveMapping{type, Conversion::kDecimalFromInt32};
    case Type::INT64: return PrimitiveMapping{type, Conversion::kDecimalFromInt64};
    case Type::BYTE_ARRAY:
    case Type::FIXED_LEN_BYTE_ARRAY: return PrimitiveMapping{type, Conversion::kDecimalFromBytes};
    default: return Unsupported(element);
  }
}

// Integers annotated with a width and signedness (INT(8, true), UINT_32, ...).
Result<PrimitiveMapping> MapInteger(const SchemaElement& element, int bit_width, bool is_signed) {
  if (element.type == Type::INT32 && bit_width <= 32) {
    if (bit_width == 32 && !is_signed) return PrimitiveMapping{DataType::UInt32()};
    return PrimitiveMapping{DataType::Int32()};
  }
  if (element.type == Type::INT64 && bit_width == 64) {
    return PrimitiveMapping{is_signed ? DataType::Int64() : DataType::UInt64()};
  }
  return Unsupported(element);
}

Result<PrimitiveMapping> MapTimestamp(const SchemaElement& element, const format::TimeUnit& unit) {
  if (element.type != Type::INT64) return Unsupported(element);
  if (unit.__isset.MILLIS) return PrimitiveMapping{DataType::Timestamp(), Conversion::kMillisToMicros};
  if (unit.__isset.MICROS) return PrimitiveMapping{DataType::Timestamp()};
  if (unit.__isset.NANOS) return PrimitiveMapping{DataType::Timestamp(), Conversion::kNanosToMicros};
  return Unsupported(element);
}

// Times of day become int64 microseconds since midnight.
Result<PrimitiveMapping> MapTime(const SchemaElement& element, const format::TimeUnit& unit) {
  if (unit.__isset.MILLIS && element.type == Type::INT32) {
    return PrimitiveMapping{DataType::Int64(), Conversion::kTimeMillisToMicros};
  }
  if (unit.__isset.MICROS && element.type == Type::INT64) return PrimitiveMapping{DataType::Int64()};
  if (unit.__isset.NANOS && element.type == Type::INT64) {
    return PrimitiveMapping{DataType::Int64(), Conversion::kNanosToMicros};
  }
  return Unsupported(element);
}

Result<PrimitiveMapping> MapByteArrayText(const SchemaElement& element, DataType type) {
  if (element.type != Type::BYTE_ARRAY) return Unsupported(element);
  return PrimitiveMapping{type};
}

// Types by physical type alone, for unannotated leaves.
Result<PrimitiveMapping> MapPhysical(const SchemaElement& element) {
  switch (element.type) {
    case Type::BOOLEAN: return PrimitiveMapping{DataType::Bool()};
    case Type::INT32: return PrimitiveMapping{DataType::Int32()};
    case Type::INT64: return PrimitiveMapping{DataType::Int64()};
    case Type::INT96: return PrimitiveMapping{DataType::Timestamp(), Conversion::kInt96ToMicros};
    case Type::FLOAT: return PrimitiveMapping{DataType::Float32()};
    case Type::DOUBLE: return PrimitiveMapping{DataType::Float64()};
    case Type::BYTE_ARRAY: return PrimitiveMapping{DataType::Binary()};
    case Type::FIXED_LEN_BYTE_ARRAY: return PrimitiveMapping{DataType::Binary(), Conversion::kFixedToBinary};
  }
  return Unsupported(element);
}

// The logical type annotation, which takes precedence over the converted type.
// Sets *recognised to false for annotations that do not change the type
// (UNKNOWN, or a union member this reader does not know).
Result<PrimitiveMapping> MapLogical(const SchemaElement& element, bool* recognised) {
  const format::LogicalType& logical = element.logicalType;
  *recognised = true;
  if (logical.__isset.STRING || logical.__isset.ENUM || logical.__isset.JSON) {
    return MapByteArrayText(element, DataType::String());
  }
  if (logical.__isset.BSON || logical.__isset.GEOMETRY || logical.__isset.GEOGRAPHY) {
    return MapByteArrayText(element, DataType::Binary());
  }
  if (logical.__isset.DECIMAL) return MapDecimal(element, logical.DECIMAL.precision, logical.DECIMAL.scale);
  if (logical.__isset.DATE) {
    if (element.type != Type::INT32) return Unsupported(element);
    return PrimitiveMapping{DataType::Date32()};
  }
  if (logical.__isset.TIMESTAMP) return MapTimestamp(element, logical.TIMESTAMP.unit);
  if (logical.__isset.TIME) return MapTime(element, logical.TIME.unit);
  if (logical.__isset.INTEGER) return MapInteger(element, logical.INTEGER.bitWidth, logical.INTEGER.isSigned);
  if (logical.__isset.UUID) {
    if (element.type != Type::FIXED_LEN_BYTE_ARRAY || element.type_length != 16) return Unsupported(element);
    return PrimitiveMapping{DataType::Binary(), Conversion::kFixedToBinary};
  }
  if (logical.__isset.FLOAT16) {
    if (element.type != Type::FIXED_LEN_BYTE_ARRAY || element.type_length != 2) return Unsupported(element);
    return PrimitiveMapping{DataType::Float32(), Conversion::kFloat16ToFloat32};
  }
  if (logical.__isset.MAP || logical.__isset.LIST || logical.__isset.VARIANT) return Unsupported(element);
  *recognised = false;
  return PrimitiveMapping{};
}

Result<PrimitiveMapping> MapConverted(const SchemaElement& element) {
  format::TimeUnit millis, micros;
  millis.__set_MILLIS(format::MilliSeconds());
  micros.__set_MICROS(format::MicroSeconds());
  switch (element.converted_type) {
    case ConvertedType::UTF8:
    case ConvertedType::ENUM:
    case ConvertedType::JSON: return MapByteArrayText(element, DataType::String());
    case ConvertedType::BSON: return MapByteArrayText(element, DataType::Binary());
    case ConvertedType::DECIMAL: return MapDecimal(element, element.precision, element.scale);
    case ConvertedType::DATE:
      if (element.type != Type::INT32) return Unsupported(element);
      return PrimitiveMapping{DataType::Date32()};
    case ConvertedType::TIME_MILLIS: return MapTime(element, millis);
    case ConvertedType::TIME_MICROS: return MapTime(element, micros);
    case ConvertedType::TIMESTAMP_MILLIS: return MapTimestamp(element, millis);
    case ConvertedType::TIMESTAMP_MICROS: return MapTimestamp(element, micros);
    case ConvertedType::UINT_8: return MapInteger(element, 8, false);
    case ConvertedType::UINT_16: return MapInteger(element, 16, false);
    case ConvertedType::UINT_32: return MapInteger(element, 32, false);
    case ConvertedType::UINT_64: return MapInteger(element, 64, false);
    case ConvertedType::INT_8: return MapInteger(element, 8, true);
    case ConvertedType::INT_16: return MapInteger(element, 16, true);
    case ConvertedType::INT_32: return MapInteger(element, 32, true);
    case ConvertedType::INT_64: return MapInteger(element, 64, true);
    default: return Unsupported(element);
  }
}

Result<PrimitiveMapping> MapPrimitive(const SchemaElement& element) {
  if (element.type == Type::INT96) return PrimitiveMapping{DataType::Timestamp(), Conversion::kInt96ToMicros};
  if (element.__isset.logicalType) {
    bool recognised = false;
    Result<PrimitiveMapping> mapping = MapLogical(element, &recognised);
    if (recognised) return mapping;
  }
  if (element.__isset.converted_type) return MapConverted(element);
  return MapPhysical(element);
}

// Checks what the value decoders rely on: a known physical type and a usable
// FIXED_LEN_BYTE_ARRAY width.
Status CheckLeaf(const SchemaElement& element) {
  if (element.type < Type::BOOLEAN || element.type > Type::FIXED_LEN_BYTE_ARRAY) {
    return Status::Corruption("schema leaf '" + element.name + "' has an invalid physical type " +
                              std::to_string(element.type));
  }
  if (element.type == Type::FIXED_LEN_BYTE_ARRAY && (element.type_length <= 0 || element.type_length > (1 << 24))) {
    return Status::Corruption("schema leaf '" + element.name + "' has an invalid FIXED_LEN_BYTE_ARRAY length " +
                              std::to_string(element.type_length));
  }
  return Status::OK();
}

// Fills the descriptor's value fields from the leaf element.
Status DescribeLeaf(const SchemaNode& leaf, const std::string& path, ColumnDescriptor* descriptor) {
  const SchemaElement& element = *leaf.element;
  Status status = CheckLeaf(element);
  if (!status.ok()) return status;
  Result<PrimitiveMapping> mapping = MapPrimitive(element);
  if (!mapping.ok()) return mapping.status();
  descriptor->path = path;
  descriptor->leaf_index = leaf.first_leaf;
  descriptor->physical_type = element.type;
  descriptor->type_length = element.type == Type::FIXED_LEN_BYTE_ARRAY ? element.type_length : 0;
  descriptor->value_type = mapping->type;
  descriptor->conversion = mapping->conversion;
  if (mapping->conversion == Conversion::kDecimalFromBytes && element.type == Type::FIXED_LEN_BYTE_ARRAY &&
      element.type_length > 64) {
    return Status::NotSupported("DECIMAL stored in " + std::to_string(element.type_length) + " bytes");
  }
  return Status::OK();
}

// A top-level primitive: required, optional, or a bare repeated field (a
// required list of required elements).
Status DescribePrimitiveColumn(const SchemaNode& node, ColumnDescriptor* descriptor) {
  const SchemaElement& element = *node.element;
  Status status = DescribeLeaf(node, element.name, descriptor);
  if (!status.ok()) return status;
  if (IsRepeated(element)) {
    descriptor->is_list = true;
    descriptor->list_definition_level = 0;
    descriptor->element_definition_level = 1;
    descriptor->max_definition_level = 1;
    descriptor->max_repetition_level = 1;
  } else {
    descriptor->max_definition_level = IsOptional(element) ? 1 : 0;
  }
  return Status::OK();
}

// A LIST-annotated group, by the specification's backward-compatibility rules.
Status DescribeListColumn(const SchemaNode& node, ColumnDescriptor* descriptor) {
  const SchemaElement& list = *node.element;
  if (IsRepeated(list)) return Status::NotSupported("a repeated LIST group (nested lists) is not supported");
  if (node.children.size() != 1 || !IsRepeated(*node.children[0].element)) {
    return Status::NotSupported("a LIST group without exactly one repeated child is not supported");
  }
  const SchemaNode& repeated = node.children[0];
  const SchemaNode* element = &repeated;
  std::string path = list.name + "." + repeated.element->name;
  if (!repeated.children.empty()) {
    const SchemaElement& inner = *repeated.children[0].element;
    const std::string& name = repeated.element->name;
    if (repeated.children.size() > 1 || name == "array" || name == list.name + "_tuple") {
      return Status::NotSupported("lists of structs are not supported");
    }
    if (IsRepeated(inner) || !repeated.children[0].children.empty()) {
      return Status::NotSupported("lists of lists, maps or structs are not supported");
    }
    element = &repeated.children[0];
    path += "." + inner.name;
  }
  Status status = DescribeLeaf(*element, path, descriptor);
  if (!status.ok()) return status;
  descriptor->is_list = true;
  descriptor->list_definition_level = IsOptional(list) ? 1 : 0;
  descriptor->element_definition_level = descriptor->list_definition_level + 1;
  descriptor->max_definition_level =
      descriptor->element_definition_level + (element != &repeated && IsOptional(*element->element) ? 1 : 0);
  descriptor->max_repetition_level = 1;
  return Status::OK();
}

ImportedColumn ImportColumn(const SchemaNode& node) {
  const SchemaElement& element = *node.element;
  ImportedColumn column;
  column.field.name = element.name;
  column.field.nullable = !element.__isset.repetition_type || IsOptional(element);
  column.first_leaf = node.first_leaf;
  column.num_leaves = node.num_leaves;
  column.descriptor.name = element.name;
  Status status;
  if (node.children.empty() && IsPrimitive(element) && element.__isset.type) {
    status = DescribePrimitiveColumn(node, &column.descriptor);
  } else if (IsListAnnotated(element)) {
    status = DescribeListColumn(node, &column.descriptor);
  } else if (IsMapAnnotated(element)) {
    status = Status::NotSupported("maps are not supported");
  } else {
    status = Status::NotSupported(node.num_leaves == 0 ? "empty groups are not supported"
                                                       : "structs (groups) are not supported");
  }
  if (status.ok()) {
    column.field.type = column.descriptor.type();
    // A bare repeated field is a required list.
    if (IsRepeated(element)) column.field.nullable = false;
  } else if (status.code() == Status::Code::kNotSupported) {
    status = Status::NotSupported("column '" + element.name + "': " + status.message() +
                                  " (leave the column out of the projection to read the others)");
  }
  column.support = status;
  return column;
}

}  // namespace

int FileSchema::IndexOf(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].field.name == name) return static_cast<int>(i);
  }
  return -1;
}

Result<FileSchema> ImportSchema(const std::vector<format::SchemaElement>& elements) {
  if (elements.empty()) return Status::Corruption("the schema is empty");
  SchemaNode root;
  size_t index = 0;
  int next_leaf = 0;
  Status status = BuildTree(elements, &index, 0, &next_leaf, &root);
  if (!status.ok()) return status;
  if (index != elements.size()) {
    return Status::Corruption("the schema has " + std::to_string(elements.size() - index) +
                              " elements after its root's children");
  }
  FileSchema schema;
  schema.num_leaves = next_leaf;
  for (const SchemaNode& child : root.children) {
    ImportedColumn column = ImportColumn(child);
    // Corruption in one leaf makes the whole file unreadable.
    if (column.support.code() == Status::Code::kCorruption) return column.support;
    schema.columns.push_back(std::move(column));
  }
  return schema;
}

std::string EncodingName(format::Encoding::type encoding) {
  auto found = format::_Encoding_VALUES_TO_NAMES.find(encoding);
  return found == format::_Encoding_VALUES_TO_NAMES.end() ? "encoding " + std::to_string(encoding) : found->second;
}

std::string PhysicalTypeName(format::Type::type type) {
  switch (type) {
    case Type::BOOLEAN: return "BOOLEAN";
    case Type::INT32: return "INT32";
    case Type::INT64: return "INT64";
    case Type::INT96: return "INT96";
    case Type::FLOAT: return "FLOAT";
    case Type::DOUBLE: return "DOUBLE";
    case Type::BYTE_ARRAY: return "BYTE_ARRAY";
    case Type::FIXED_LEN_BYTE_ARRAY: return "FIXED_LEN_BYTE_ARRAY";
  }
  return "type " + std::to_string(static_cast<int>(type));
}

namespace {

std::string UnitName(const format::TimeUnit& unit) {
  return unit.__isset.MILLIS ? "MILLIS" : unit.__isset.MICROS ? "MICROS" : unit.__isset.NANOS ? "NANOS" : "?";
}

std::string LogicalName(const format::LogicalType& logical) {
  if (logical.__isset.STRING) return "STRING";
  if (logical.__isset.MAP) return "MAP";
  if (logical.__isset.LIST) return "LIST";
  if (logical.__isset.ENUM) return "ENUM";
  if (logical.__isset.DECIMAL) {
    return "DECIMAL(" + std::to_string(logical.DECIMAL.precision) + "," + std::to_string(logical.DECIMAL.scale) + ")";
  }
  if (logical.__isset.DATE) return "DATE";
  if (logical.__isset.TIME) return "TIME(" + UnitName(logical.TIME.unit) + ")";
  if (logical.__isset.TIMESTAMP) return "TIMESTAMP(" + UnitName(logical.TIMESTAMP.unit) + ")";
  if (logical.__isset.INTEGER) {
    return std::string(logical.INTEGER.isSigned ? "INT(" : "UINT(") + std::to_string(logical.INTEGER.bitWidth) + ")";
  }
  if (logical.__isset.UNKNOWN) return "UNKNOWN";
  if (logical.__isset.JSON) return "JSON";
  if (logical.__isset.BSON) return "BSON";
  if (logical.__isset.UUID) return "UUID";
  if (logical.__isset.FLOAT16) return "FLOAT16";
  if (logical.__isset.VARIANT) return "VARIANT";
  if (logical.__isset.GEOMETRY) return "GEOMETRY";
  if (logical.__isset.GEOGRAPHY) return "GEOGRAPHY";
  return "";
}

}  // namespace

std::string AnnotationName(const format::SchemaElement& element) {
  if (element.__isset.logicalType) {
    std::string name = LogicalName(element.logicalType);
    if (!name.empty()) return name;
  }
  if (!element.__isset.converted_type) return "";
  if (element.converted_type == ConvertedType::DECIMAL) {
    return "DECIMAL(" + std::to_string(element.precision) + "," + std::to_string(element.scale) + ")";
  }
  auto found = format::_ConvertedType_VALUES_TO_NAMES.find(element.converted_type);
  if (found == format::_ConvertedType_VALUES_TO_NAMES.end())
    return "converted type " + std::to_string(element.converted_type);
  return found->second;
}

}  // namespace kiln::parquet
