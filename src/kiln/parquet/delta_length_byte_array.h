// DELTA_LENGTH_BYTE_ARRAY: the lengths of all byte arrays as one
// DELTA_BINARY_PACKED run, then their bytes back to back.
//
// Decoding is two bulk steps (lengths into the offsets buffer, then a single
// copy of all bytes) into Kiln's string layout, like DecodePlainByteArray.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln::parquet {

// Appends `count` byte arrays: their bytes to `bytes` and each end position
// in `bytes` (int64) to `offsets`; *consumed receives the encoded size.
// Corruption when the encoded count differs from `count`, a length is
// negative, or the bytes run past `size`. On error both buffers are left as
// they were.
Status DecodeDeltaLengthByteArray(const uint8_t* data, size_t size, int64_t count, Buffer* offsets,
                                  Buffer* bytes, size_t* consumed);

// Appends the encoding of `count` byte arrays given as Kiln string offsets
// (count + 1 positions into `bytes`). InvalidArgument when a value is 2 GiB
// or longer.
Status EncodeDeltaLengthByteArray(const int64_t* offsets, const uint8_t* bytes, int64_t count, Buffer* out);

}  // namespace kiln::parquet
