// Helpers shared by the Parquet layer tests.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kiln/core/buffer.h"

namespace kiln::parquet::testing {

// A heap copy of exactly `size` bytes, so AddressSanitizer builds catch any
// read past the end (Kiln Buffers are padded and would hide it).
class ExactBytes {
 public:
  ExactBytes(const uint8_t* data, size_t size) : bytes_(new uint8_t[size == 0 ? 1 : size]), size_(size) {
    if (size > 0) std::memcpy(bytes_.get(), data, size);
  }
  explicit ExactBytes(const Buffer& buffer) : ExactBytes(buffer.data(), buffer.size()) {}
  explicit ExactBytes(const std::vector<uint8_t>& bytes) : ExactBytes(bytes.data(), bytes.size()) {}

  const uint8_t* data() const { return bytes_.get(); }
  size_t size() const { return size_; }

 private:
  std::unique_ptr<uint8_t[]> bytes_;  // Exactly size_ bytes (1 when empty).
  size_t size_;                       // Bytes of real content.
};

inline std::vector<uint8_t> RandomBytes(size_t size, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint8_t> bytes(size);
  for (auto& byte : bytes) byte = static_cast<uint8_t>(rng());
  return bytes;
}

// Kiln string layout built from std::strings: count + 1 offsets and bytes.
struct StringColumn {
  std::vector<int64_t> offsets{0};
  std::string bytes;

  explicit StringColumn(const std::vector<std::string>& values) {
    for (const auto& value : values) {
      bytes += value;
      offsets.push_back(static_cast<int64_t>(bytes.size()));
    }
  }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(bytes.data()); }
  int64_t count() const { return static_cast<int64_t>(offsets.size()) - 1; }
};

// Reads back a decoded string column: `offsets` holds a leading 0 plus one
// end per value.
inline std::vector<std::string> ToStrings(const Buffer& offsets, const Buffer& bytes) {
  std::vector<std::string> values;
  const int64_t* ends = offsets.as<int64_t>();
  int64_t count = static_cast<int64_t>(offsets.size() / sizeof(int64_t)) - 1;
  for (int64_t i = 0; i < count; ++i) {
    values.emplace_back(reinterpret_cast<const char*>(bytes.data()) + ends[i], ends[i + 1] - ends[i]);
  }
  return values;
}

// A Buffer holding one int64 zero: the leading offset of a string column.
inline void StartOffsets(Buffer* offsets) {
  int64_t zero = 0;
  offsets->Append(&zero, sizeof(zero));
}

}  // namespace kiln::parquet::testing
