// PLAIN encoding: values back to back in their little-endian physical form.
//
//   BOOLEAN                 1 bit per value, LSB first (see bit_packing.h)
//   INT32, FLOAT            4 bytes;  INT64, DOUBLE 8 bytes
//   INT96                   12 bytes: nanoseconds of the day (int64), Julian day (int32)
//   FIXED_LEN_BYTE_ARRAY    type_length bytes
//   BYTE_ARRAY              4-byte length, then the bytes
//
// Decoders work on the `count` non-null values of one page (or dictionary
// page), check that the input holds them, and report the bytes they used.
// Byte arrays decode into Kiln's string layout: int64 end offsets plus one
// byte buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln::parquet {

// Copies `count` values of `value_width` bytes (INT32, INT64, FLOAT, DOUBLE,
// INT96 or FIXED_LEN_BYTE_ARRAY) to `out`; *consumed = count * value_width.
// Corruption when `size` is too small or value_width <= 0 (a corrupt
// FIXED_LEN_BYTE_ARRAY type_length).
// REQUIRES: `out` has room for count * value_width bytes.
Status DecodePlainFixed(const uint8_t* data, size_t size, int64_t count, int value_width, void* out,
                        size_t* consumed);

// Typed form for int32_t, int64_t, float and double.
template <typename T>
Status DecodePlain(const uint8_t* data, size_t size, int64_t count, T* out, size_t* consumed) {
  return DecodePlainFixed(data, size, count, sizeof(T), out, consumed);
}

// Unpacks `count` booleans into one byte each (0 or 1);
// *consumed = ceil(count / 8).
Status DecodePlainBoolean(const uint8_t* data, size_t size, int64_t count, uint8_t* out, size_t* consumed);

// Appends `count` byte arrays: their bytes to `bytes` and, per value, the end
// position in `bytes` (an int64) to `offsets`. The caller writes the leading
// 0 offset once per column. On error both buffers are left as they were.
Status DecodePlainByteArray(const uint8_t* data, size_t size, int64_t count, Buffer* offsets, Buffer* bytes,
                            size_t* consumed);

// INT96 timestamps (legacy Impala/Spark): 12 bytes to microseconds since the
// Unix epoch, truncating sub-microsecond digits, and back.
int64_t Int96ToMicros(const uint8_t* value);
void MicrosToInt96(int64_t micros, uint8_t* value);

// Decodes `count` PLAIN INT96 values straight to microseconds.
Status DecodePlainInt96ToMicros(const uint8_t* data, size_t size, int64_t count, int64_t* out,
                                size_t* consumed);

// Appends `count` values of `value_width` bytes.
void EncodePlainFixed(const void* values, int64_t count, int value_width, Buffer* out);

// Appends `count` booleans (any non-zero byte is true) as packed bits.
void EncodePlainBoolean(const uint8_t* values, int64_t count, Buffer* out);

// Appends `count` byte arrays given as Kiln string offsets (count + 1 int64
// positions into `bytes`). InvalidArgument when a value is 2 GiB or longer.
Status EncodePlainByteArray(const int64_t* offsets, const uint8_t* bytes, int64_t count, Buffer* out);

}  // namespace kiln::parquet
