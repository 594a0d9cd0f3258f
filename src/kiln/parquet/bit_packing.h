// Bit packing: fixed-width integers packed back to back, least significant
// bit first, as used by the RLE/bit-packed hybrid, PLAIN booleans and the
// miniblocks of DELTA_BINARY_PACKED.
//
// Value i of width w occupies bits [i*w, (i+1)*w) of the little-endian bit
// stream. Both directions touch exactly BitPackedBytes(count, w) bytes, so
// callers may unpack straight from a page without padding.
#pragma once

#include <cstdint>

namespace kiln::parquet {

// Bytes that `count` values of `bit_width` bits occupy: ceil(count * w / 8).
inline int64_t BitPackedBytes(int64_t count, int bit_width) {
  return (count * bit_width + 7) / 8;
}

// Unpacks `count` values of `bit_width` bits from `in` into `out`.
// T is uint8_t, uint16_t, uint32_t or uint64_t. Groups of 32 values go through
// a loop specialised for the width; the tail is unpacked from a zeroed copy so
// no byte past BitPackedBytes(count, bit_width) is read.
// REQUIRES: 0 <= bit_width <= 8 * sizeof(T), count >= 0,
//           `in` holds BitPackedBytes(count, bit_width) readable bytes.
template <typename T>
void UnpackBits(const uint8_t* in, int bit_width, int64_t count, T* out);

// Packs the low `bit_width` bits of `count` values into `out`, writing exactly
// BitPackedBytes(count, bit_width) bytes; unused high bits of the last byte
// are zero. Bits above `bit_width` in the inputs are ignored.
// REQUIRES: 0 <= bit_width <= 8 * sizeof(T), count >= 0.
template <typename T>
void PackBits(const T* in, int64_t count, int bit_width, uint8_t* out);

// Unpacks `count` values packed most significant bit first, the order of the
// deprecated BIT_PACKED level encoding (no run headers, no length prefix).
// Slow and simple: only old files use it. Reads BitPackedBytes(count,
// bit_width) bytes.
// REQUIRES: 0 <= bit_width <= 16, count >= 0, `in` holds those bytes.
void UnpackBitsMsbFirst(const uint8_t* in, int bit_width, int64_t count, uint16_t* out);

// The number of bits needed to represent `value` (0 for 0).
inline int BitWidthOf(uint64_t value) { return value == 0 ? 0 : 64 - __builtin_clzll(value); }

}  // namespace kiln::parquet
