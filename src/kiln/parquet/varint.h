// ULEB128 varints and zigzag: the integer framing of Parquet's hybrid and
// delta encodings (run headers, block headers, min deltas).
//
// Readers take [*pos, end) and advance *pos; they never read at or past `end`
// and return false on truncated or over-long input, leaving *pos unspecified.
#pragma once

#include <cstdint>

#include "kiln/core/buffer.h"

namespace kiln::parquet {

// Reads a ULEB128 value of at most 64 bits (10 bytes).
inline bool ReadUleb128(const uint8_t** pos, const uint8_t* end, uint64_t* value) {
  uint64_t result = 0;
  const uint8_t* p = *pos;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p == end) return false;
    uint8_t byte = *p++;
    // The tenth byte may only carry the top bit of a 64-bit value.
    if (shift == 63 && (byte & 0xFE) != 0) return false;
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *pos = p;
      *value = result;
      return true;
    }
  }
  return false;
}

// Reads a ULEB128 value that must fit in 32 bits (at most 5 bytes).
inline bool ReadUleb128(const uint8_t** pos, const uint8_t* end, uint32_t* value) {
  uint64_t wide;
  const uint8_t* start = *pos;
  if (!ReadUleb128(pos, end, &wide) || wide > UINT32_MAX || *pos - start > 5) return false;
  *value = static_cast<uint32_t>(wide);
  return true;
}

inline int64_t ZigZagDecode(uint64_t value) {
  return static_cast<int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

inline uint64_t ZigZagEncode(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}

// Appends `value` as ULEB128 to `out`.
inline void WriteUleb128(uint64_t value, Buffer* out) {
  uint8_t bytes[10];
  int length = 0;
  while (value >= 0x80) {
    bytes[length++] = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  bytes[length++] = static_cast<uint8_t>(value);
  out->Append(bytes, length);
}

}  // namespace kiln::parquet
