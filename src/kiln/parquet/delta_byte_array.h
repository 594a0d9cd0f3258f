// DELTA_BYTE_ARRAY (incremental or front coding): for each byte array, the
// length of the prefix it shares with the previous one (a
// DELTA_BINARY_PACKED run), then the remaining suffixes as
// DELTA_LENGTH_BYTE_ARRAY. Used for BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln::parquet {

// The most bytes one call may expand to. Shared prefixes let a small page
// describe huge values, so the output is capped like a decompression bomb.
inline constexpr int64_t kMaxDeltaByteArrayOutput = INT32_MAX;

// Appends `count` byte arrays in Kiln's string layout (bytes to `bytes`, int64
// end positions to `offsets`); *consumed receives the encoded size.
// Corruption when the counts disagree with `count`, a prefix is longer than
// the previous value, data is cut off, or the values would exceed
// kMaxDeltaByteArrayOutput bytes. On error both buffers are left as they were.
Status DecodeDeltaByteArray(const uint8_t* data, size_t size, int64_t count, Buffer* offsets, Buffer* bytes,
                            size_t* consumed);

// Appends the encoding of `count` byte arrays given as Kiln string offsets
// (count + 1 positions into `bytes`). InvalidArgument when a value is 2 GiB
// or longer.
Status EncodeDeltaByteArray(const int64_t* offsets, const uint8_t* bytes, int64_t count, Buffer* out);

}  // namespace kiln::parquet
