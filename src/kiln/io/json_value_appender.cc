#include "kiln/io/json_value_appender.h"

#include <limits>

#include "kiln/core/value_format.h"

namespace kiln {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

const char* KindName(element_type type) {
  switch (type) {
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::INT64:
    case element_type::UINT64: return "integer";
    case element_type::DOUBLE: return "number";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "value";
}

bool Mismatch(const element& value, const DataType& type, std::string* error) {
  std::string text = simdjson::minify(value);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  *error = "expected " + type.ToString() + ", found " + KindName(value.type()) + " " + text;
  return false;
}

// Reads an integer element as a value in [low, high].
template <typename T>
bool GetInteger(const element& value, T* out) {
  if (value.type() == element_type::INT64) {
    int64_t v = value.get_int64().value_unsafe();
    if (v < static_cast<int64_t>(std::numeric_limits<T>::min())) return false;
    if (v >= 0 && static_cast<uint64_t>(v) > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
    *out = static_cast<T>(v);
    return true;
  }
  if (value.type() == element_type::UINT64) {
    uint64_t v = value.get_uint64().value_unsafe();
    if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
    *out = static_cast<T>(v);
    return true;
  }
  return false;
}

template <typename T>
bool AppendInteger(const element& value, ColumnBuilder* builder, std::string* error) {
  T v;
  if (!GetInteger<T>(value, &v)) return Mismatch(value, builder->type(), error);
  builder->Append<T>(v);
  return true;
}

bool GetDouble(const element& value, double* out) {
  switch (value.type()) {
    case element_type::DOUBLE: *out = value.get_double().value_unsafe(); return true;
    case element_type::INT64: *out = static_cast<double>(value.get_int64().value_unsafe()); return true;
    case element_type::UINT64: *out = static_cast<double>(value.get_uint64().value_unsafe()); return true;
    default: return false;
  }
}

bool AppendText(const element& value, ColumnBuilder* builder, std::string* error) {
  const DataType& type = builder->type();
  if (value.type() != element_type::STRING) {
    if (type.id() == TypeId::kTimestamp) return AppendInteger<int64_t>(value, builder, error);
    if (type.id() != TypeId::kDecimal || !(value.is_int64() || value.is_uint64() || value.is_double())) {
      return Mismatch(value, type, error);
    }
  }
  std::string_view text = value.type() == element_type::STRING ? value.get_string().value_unsafe() : "";
  std::string number_text;
  if (value.type() != element_type::STRING) {
    number_text = simdjson::minify(value);
    text = number_text;
  }
  switch (type.id()) {
    case TypeId::kDate32: {
      int32_t days;
      if (!ParseDate32(text, &days)) return Mismatch(value, type, error);
      builder->Append<int32_t>(days);
      return true;
    }
    case TypeId::kTimestamp: {
      int64_t micros;
      if (!ParseTimestamp(text, &micros)) return Mismatch(value, type, error);
      builder->Append<int64_t>(micros);
      return true;
    }
    default: {
      __int128 unscaled;
      if (!ParseDecimal(text, type.precision(), type.scale(), &unscaled)) return Mismatch(value, type, error);
      builder->Append<__int128>(unscaled);
      return true;
    }
  }
}

bool AppendList(const element& value, ColumnBuilder* builder, std::string* error) {
  if (value.type() != element_type::ARRAY) return Mismatch(value, builder->type(), error);
  ColumnBuilder& child = builder->child();
  const int64_t start = child.length();
  simdjson::dom::array items;
  if (value.get_array().get(items) != simdjson::SUCCESS) return Mismatch(value, builder->type(), error);
  for (element item : items) {
    if (!AppendJsonElement(item, &child, error)) {
      child.Truncate(start);
      *error = "in list: " + *error;
      return false;
    }
  }
  builder->AppendList();
  return true;
}

}  // namespace

bool AppendJsonElement(const element& value, ColumnBuilder* builder, std::string* error) {
  if (value.type() == element_type::NULL_VALUE) {
    builder->AppendNull();
    return true;
  }
  const DataType& type = builder->type();
  switch (type.id()) {
    case TypeId::kBool:
      if (value.type() != element_type::BOOL) return Mismatch(value, type, error);
      builder->Append<uint8_t>(value.get_bool().value_unsafe() ? 1 : 0);
      return true;
    case TypeId::kInt32: return AppendInteger<int32_t>(value, builder, error);
    case TypeId::kInt64: return AppendInteger<int64_t>(value, builder, error);
    case TypeId::kUInt32: return AppendInteger<uint32_t>(value, builder, error);
    case TypeId::kUInt64: return AppendInteger<uint64_t>(value, builder, error);
    case TypeId::kFloat32:
    case TypeId::kFloat64: {
      double v;
      if (!GetDouble(value, &v)) return Mismatch(value, type, error);
      if (type.id() == TypeId::kFloat32) {
        builder->Append<float>(static_cast<float>(v));
      } else {
        builder->Append<double>(v);
      }
      return true;
    }
    case TypeId::kString:
    case TypeId::kBinary:
      if (value.type() == element_type::STRING) {
        builder->AppendString(value.get_string().value_unsafe());
      } else {
        builder->AppendString(simdjson::minify(value));
      }
      return true;
    case TypeId::kDate32:
    case TypeId::kTimestamp:
    case TypeId::kDecimal: return AppendText(value, builder, error);
    case TypeId::kList: return AppendList(value, builder, error);
  }
  return Mismatch(value, type, error);
}

}  // namespace kiln
