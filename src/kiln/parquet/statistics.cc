#include "kiln/parquet/statistics.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace kiln::parquet {

namespace {

template <typename T>
std::string LittleEndianBytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// The low `width` bytes of the two's complement of `value`, most significant
// first: a decimal's FIXED_LEN_BYTE_ARRAY form.
std::string BigEndianBytes(__int128 value, int width) {
  std::string bytes(width, '\0');
  auto bits = static_cast<unsigned __int128>(value);
  for (int i = width - 1; i >= 0; --i) {
    bytes[i] = static_cast<char>(bits & 0xFF);
    bits >>= 8;
  }
  return bytes;
}

template <typename T>
std::string StatisticsBytes(T value, int type_length) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    return std::string(1, value != 0 ? '\1' : '\0');
  } else if constexpr (std::is_same_v<T, __int128>) {
    return BigEndianBytes(value, type_length);
  } else {
    return LittleEndianBytes(value);
  }
}

void SetMinMax(std::string min, std::string max, format::Statistics* statistics) {
  statistics->__set_min_value(std::move(min));
  statistics->__set_max_value(std::move(max));
  statistics->__set_is_min_value_exact(true);
  statistics->__set_is_max_value_exact(true);
}

int CompareBytes(std::string_view a, std::string_view b) {
  size_t common = std::min(a.size(), b.size());
  int order = common == 0 ? 0 : std::memcmp(a.data(), b.data(), common);
  if (order != 0) return order;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

}  // namespace

template <typename T>
void ValueStatistics<T>::Update(const T* values, int64_t count) {
  if (count == 0 || has_nan_) return;  // After a NaN nothing will be written.
  T low = has_values_ ? min_ : T{};
  T high = has_values_ ? max_ : T{};
  int64_t i = 0;
  if (!has_values_) {
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(values[0])) {
        has_nan_ = true;
        return;
      }
    }
    low = high = std::is_same_v<T, uint8_t> ? static_cast<T>(values[0] != 0) : values[0];
    i = 1;
  }
  for (; i < count; ++i) {
    T value = values[i];
    if constexpr (std::is_same_v<T, uint8_t>) value = value != 0;
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(value)) {
        has_nan_ = true;
        return;
      }
    }
    low = std::min(low, value);
    high = std::max(high, value);
  }
  min_ = low;
  max_ = high;
  has_values_ = true;
}

template <typename T>
void ValueStatistics<T>::Merge(const ValueStatistics& other) {
  null_count_ += other.null_count_;
  has_nan_ = has_nan_ || other.has_nan_;
  if (!other.has_values_) return;
  min_ = has_values_ ? std::min(min_, other.min_) : other.min_;
  max_ = has_values_ ? std::max(max_, other.max_) : other.max_;
  has_values_ = true;
}

template <typename T>
format::Statistics ValueStatistics<T>::ToThrift(int type_length) const {
  format::Statistics statistics;
  statistics.__set_null_count(null_count_);
  if (!has_min_max()) return statistics;
  T low = min_, high = max_;
  if constexpr (std::is_floating_point_v<T>) {
    // -0.0 and +0.0 compare equal, so either may have been kept.
    if (low == 0) low = -T{0};
    if (high == 0) high = T{0};
  }
  SetMinMax(StatisticsBytes(low, type_length), StatisticsBytes(high, type_length), &statistics);
  return statistics;
}

template class ValueStatistics<uint8_t>;
template class ValueStatistics<int32_t>;
template class ValueStatistics<uint32_t>;
template class ValueStatistics<int64_t>;
template class ValueStatistics<uint64_t>;
template class ValueStatistics<float>;
template class ValueStatistics<double>;
template class ValueStatistics<__int128>;

void ByteArrayStatistics::Update(const int64_t* offsets, const uint8_t* bytes, int64_t count) {
  if (count == 0) return;
  const char* text = reinterpret_cast<const char*>(bytes);
  auto value_at = [&](int64_t i) { return std::string_view(text + offsets[i], offsets[i + 1] - offsets[i]); };
  // Track the extremes as views and copy them once at the end.
  std::string_view low = has_values_ ? std::string_view(min_) : value_at(0);
  std::string_view high = has_values_ ? std::string_view(max_) : value_at(0);
  for (int64_t i = 0; i < count; ++i) {
    std::string_view value = value_at(i);
    if (CompareBytes(value, low) < 0) low = value;
    if (CompareBytes(value, high) > 0) high = value;
  }
  // Assigning from a view into the string itself is safe: assign() copes.
  min_.assign(low);
  max_.assign(high);
  has_values_ = true;
}

void ByteArrayStatistics::Merge(const ByteArrayStatistics& other) {
  null_count_ += other.null_count_;
  if (!other.has_values_) return;
  if (!has_values_ || CompareBytes(other.min_, min_) < 0) min_ = other.min_;
  if (!has_values_ || CompareBytes(other.max_, max_) > 0) max_ = other.max_;
  has_values_ = true;
}

bool ByteArrayStatistics::has_min_max() const {
  return has_values_ && min_.size() <= kMaxStatisticsValueBytes && max_.size() <= kMaxStatisticsValueBytes;
}

format::Statistics ByteArrayStatistics::ToThrift() const {
  format::Statistics statistics;
  statistics.__set_null_count(null_count_);
  if (has_min_max()) SetMinMax(min_, max_, &statistics);
  return statistics;
}

}  // namespace kiln::parquet
