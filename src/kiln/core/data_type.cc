#include "kiln/core/data_type.h"

#include <cstdio>

namespace kiln {

DataType DataType::Decimal(int precision, int scale) {
  DataType type(TypeId::kDecimal);
  type.precision_ = precision;
  type.scale_ = scale;
  return type;
}

DataType DataType::List(const DataType& value_type) {
  DataType type(TypeId::kList);
  type.value_type_ = std::make_shared<const DataType>(value_type);
  return type;
}

int DataType::byte_width() const {
  switch (id_) {
    case TypeId::kBool: return 1;
    case TypeId::kInt32:
    case TypeId::kUInt32:
    case TypeId::kFloat32:
    case TypeId::kDate32: return 4;
    case TypeId::kInt64:
    case TypeId::kUInt64:
    case TypeId::kFloat64:
    case TypeId::kTimestamp: return 8;
    case TypeId::kDecimal: return 16;
    case TypeId::kString:
    case TypeId::kBinary:
    case TypeId::kList: return 0;
  }
  return 0;
}

std::string DataType::ToString() const {
  switch (id_) {
    case TypeId::kBool: return "bool";
    case TypeId::kInt32: return "int32";
    case TypeId::kInt64: return "int64";
    case TypeId::kUInt32: return "uint32";
    case TypeId::kUInt64: return "uint64";
    case TypeId::kFloat32: return "float32";
    case TypeId::kFloat64: return "float64";
    case TypeId::kString: return "string";
    case TypeId::kBinary: return "binary";
    case TypeId::kDate32: return "date32";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kDecimal:
      return "decimal(" + std::to_string(precision_) + "," + std::to_string(scale_) + ")";
    case TypeId::kList: return "list<" + value_type_->ToString() + ">";
  }
  return "unknown";
}

bool DataType::FromString(const std::string& text, DataType* out) {
  static const TypeId kSimple[] = {
      TypeId::kBool,   TypeId::kInt32,  TypeId::kInt64,  TypeId::kUInt32,
      TypeId::kUInt64, TypeId::kFloat32, TypeId::kFloat64, TypeId::kString,
      TypeId::kBinary, TypeId::kDate32, TypeId::kTimestamp};
  for (TypeId id : kSimple) {
    if (DataType(id).ToString() == text) {
      *out = DataType(id);
      return true;
    }
  }
  if (text.size() > 6 && text.starts_with("list<") && text.back() == '>') {
    DataType value_type;
    if (!FromString(text.substr(5, text.size() - 6), &value_type)) return false;
    *out = List(value_type);
    return true;
  }
  int precision = 0, scale = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "decimal(%d,%d%c", &precision, &scale, &tail) == 3 && tail == ')' &&
      precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision) {
    *out = Decimal(precision, scale);
    return text == out->ToString();
  }
  return false;
}

bool DataType::operator==(const DataType& other) const {
  if (id_ != other.id_) return false;
  if (id_ == TypeId::kDecimal) return precision_ == other.precision_ && scale_ == other.scale_;
  if (id_ == TypeId::kList) return *value_type_ == *other.value_type_;
  return true;
}

}  // namespace kiln
