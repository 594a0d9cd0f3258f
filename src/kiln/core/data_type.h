// DataType: the logical type of a column.
//
// Fixed-width types store one value per row in a contiguous buffer (bool takes
// one byte, so columns can be handed to tensors without unpacking). String and
// binary columns store int64 offsets plus a byte buffer. List columns store
// int64 offsets into a child column of the value type. Decimal stores the
// unscaled value as a 128-bit integer with its precision and scale.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace kiln {

enum class TypeId : uint8_t {
  kBool,
  kInt32,
  kInt64,
  kUInt32,
  kUInt64,
  kFloat32,
  kFloat64,
  kString,
  kBinary,
  kDate32,     // Days since 1970-01-01.
  kTimestamp,  // Microseconds since 1970-01-01T00:00:00 (UTC when adjusted).
  kDecimal,    // Unscaled __int128 with precision and scale.
  kList,       // Variable-length list of a value type.
};

class DataType {
 public:
  DataType() : id_(TypeId::kInt64) {}
  explicit DataType(TypeId id) : id_(id) {}

  static DataType Bool() { return DataType(TypeId::kBool); }
  static DataType Int32() { return DataType(TypeId::kInt32); }
  static DataType Int64() { return DataType(TypeId::kInt64); }
  static DataType UInt32() { return DataType(TypeId::kUInt32); }
  static DataType UInt64() { return DataType(TypeId::kUInt64); }
  static DataType Float32() { return DataType(TypeId::kFloat32); }
  static DataType Float64() { return DataType(TypeId::kFloat64); }
  static DataType String() { return DataType(TypeId::kString); }
  static DataType Binary() { return DataType(TypeId::kBinary); }
  static DataType Date32() { return DataType(TypeId::kDate32); }
  static DataType Timestamp() { return DataType(TypeId::kTimestamp); }
  static DataType Decimal(int precision, int scale);
  static DataType List(const DataType& value_type);

  TypeId id() const { return id_; }
  int precision() const { return precision_; }  // Decimal only.
  int scale() const { return scale_; }          // Decimal only.
  // REQUIRES: id() == TypeId::kList
  const DataType& value_type() const { return *value_type_; }

  bool is_list() const { return id_ == TypeId::kList; }
  // String and binary: offsets plus bytes.
  bool is_binary_like() const { return id_ == TypeId::kString || id_ == TypeId::kBinary; }
  bool is_fixed_width() const { return !is_list() && !is_binary_like(); }
  // Bytes per value for fixed-width types; 0 otherwise.
  int byte_width() const;

  // "int32", "list<string>", "decimal(9,2)", ...
  std::string ToString() const;
  // Parses what ToString() prints; returns false on an unknown name.
  static bool FromString(const std::string& text, DataType* out);

  bool operator==(const DataType& other) const;
  bool operator!=(const DataType& other) const { return !(*this == other); }

 private:
  TypeId id_;                                   // The kind of type.
  int precision_ = 0;                           // Decimal digits in total.
  int scale_ = 0;                               // Decimal digits after the point.
  std::shared_ptr<const DataType> value_type_;  // List element type.
};

// C++ storage type of each fixed-width type, for typed access to buffers.
template <TypeId id> struct StorageOf;
template <> struct StorageOf<TypeId::kBool> { using type = uint8_t; };
template <> struct StorageOf<TypeId::kInt32> { using type = int32_t; };
template <> struct StorageOf<TypeId::kInt64> { using type = int64_t; };
template <> struct StorageOf<TypeId::kUInt32> { using type = uint32_t; };
template <> struct StorageOf<TypeId::kUInt64> { using type = uint64_t; };
template <> struct StorageOf<TypeId::kFloat32> { using type = float; };
template <> struct StorageOf<TypeId::kFloat64> { using type = double; };
template <> struct StorageOf<TypeId::kDate32> { using type = int32_t; };
template <> struct StorageOf<TypeId::kTimestamp> { using type = int64_t; };
template <> struct StorageOf<TypeId::kDecimal> { using type = __int128; };

}  // namespace kiln
