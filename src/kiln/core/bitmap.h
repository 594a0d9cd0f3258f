// Bitmap helpers for validity masks: bit i of byte i/8, least significant
// bit first (Arrow's order). A set bit means the value is present.
#pragma once

#include <cstdint>

namespace kiln::bitmap {

inline bool Get(const uint8_t* bits, int64_t i) { return (bits[i >> 3] >> (i & 7)) & 1; }
inline void Set(uint8_t* bits, int64_t i) { bits[i >> 3] |= static_cast<uint8_t>(1u << (i & 7)); }
inline void Clear(uint8_t* bits, int64_t i) { bits[i >> 3] &= static_cast<uint8_t>(~(1u << (i & 7))); }
inline void SetTo(uint8_t* bits, int64_t i, bool value) { value ? Set(bits, i) : Clear(bits, i); }
inline int64_t BytesFor(int64_t bit_count) { return (bit_count + 7) / 8; }

// Number of set bits in [offset, offset + length).
int64_t CountSet(const uint8_t* bits, int64_t offset, int64_t length);

}  // namespace kiln::bitmap
