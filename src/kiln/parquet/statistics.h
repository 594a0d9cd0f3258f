// Column statistics for writers: the null count and the min/max of a page or
// column chunk, kept in Kiln's value form and turned into the Thrift
// Statistics (min_value / max_value) at the end.
//
// Values compare in the order the column's logical type defines, which is
// what readers use to skip pages and row groups: signed for INT32/INT64 and
// signed decimals, unsigned for uint32/uint64 (written with the unsigned
// INTEGER logical type), false < true, and unsigned byte-wise for byte arrays.
// Floats follow the specification's rules: no min/max once a NaN was seen,
// and a zero minimum is written as -0.0 and a zero maximum as +0.0.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/parquet/parquet_types.h"

namespace kiln::parquet {

// Byte arrays longer than this are never written as a min or max: a column
// with one such extreme gets a null count only.
inline constexpr size_t kMaxStatisticsValueBytes = 4096;

// T is uint8_t (booleans: any non-zero byte is true), int32_t, uint32_t,
// int64_t, uint64_t, float, double or __int128 (decimals stored as
// FIXED_LEN_BYTE_ARRAY).
template <typename T>
class ValueStatistics {
 public:
  // Folds in `count` non-null values.
  void Update(const T* values, int64_t count);
  void AddNulls(int64_t count) { null_count_ += count; }
  // Folds in everything `other` has seen.
  void Merge(const ValueStatistics& other);
  void Reset() { *this = ValueStatistics(); }

  int64_t null_count() const { return null_count_; }
  // True when min() and max() are meaningful and will be written.
  bool has_min_max() const { return has_values_ && !has_nan_; }
  T min() const { return min_; }
  T max() const { return max_; }

  // Null count, plus min_value and max_value when has_min_max(), in PLAIN
  // form: little-endian, 1 byte for booleans, and `type_length` big-endian
  // two's complement bytes for __int128.
  format::Statistics ToThrift(int type_length = 0) const;

 private:
  T min_{};                  // Smallest value seen (valid when has_values_).
  T max_{};                  // Largest value seen (valid when has_values_).
  bool has_values_ = false;  // At least one non-NaN value was seen.
  bool has_nan_ = false;     // A NaN was seen (floats only).
  int64_t null_count_ = 0;   // Nulls added.
};

// The same for byte arrays, compared as unsigned bytes.
class ByteArrayStatistics {
 public:
  // Folds in `count` values given as count + 1 offsets into `bytes`.
  void Update(const int64_t* offsets, const uint8_t* bytes, int64_t count);
  void AddNulls(int64_t count) { null_count_ += count; }
  void Merge(const ByteArrayStatistics& other);
  void Reset() { *this = ByteArrayStatistics(); }

  int64_t null_count() const { return null_count_; }
  // True when min and max are known and both at most kMaxStatisticsValueBytes long.
  bool has_min_max() const;
  const std::string& min() const { return min_; }
  const std::string& max() const { return max_; }

  // Null count, plus min_value and max_value (the raw bytes) when has_min_max().
  format::Statistics ToThrift() const;

 private:
  std::string min_;          // Smallest value seen (valid when has_values_).
  std::string max_;          // Largest value seen (valid when has_values_).
  bool has_values_ = false;  // At least one value was seen.
  int64_t null_count_ = 0;   // Nulls added.
};

}  // namespace kiln::parquet
