// BYTE_STREAM_SPLIT: byte k of every value is stored in stream k, and the
// streams follow each other. For `count` values of width W the page holds
// exactly W * count bytes: value i's byte k is at k * count + i. Used for
// FLOAT, DOUBLE, INT32, INT64 and FIXED_LEN_BYTE_ARRAY; the transposition
// itself does not care about the type, only about W.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln::parquet {

// Reassembles `count` values of `value_width` bytes into `out` (value after
// value); *consumed = count * value_width. Corruption when `size` is smaller
// or value_width <= 0. `count` must be the page's full value count: it is the
// stride between the streams. Widths 4 and 8 have specialised loops.
// REQUIRES: `out` has room for count * value_width bytes.
Status DecodeByteStreamSplit(const uint8_t* data, size_t size, int64_t count, int value_width, uint8_t* out,
                             size_t* consumed);

// Appends the split form of `count` values of `value_width` bytes.
void EncodeByteStreamSplit(const uint8_t* values, int64_t count, int value_width, Buffer* out);

}  // namespace kiln::parquet
