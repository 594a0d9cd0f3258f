// Dictionary decoding: turning RLE_DICTIONARY / PLAIN_DICTIONARY indices into
// values from the decoded dictionary page.
//
// Indices come from an RleBitPackedDecoder whose bit width is the first byte
// of the data page. Every gather first checks all indices against the
// dictionary size (one vectorisable pass), so an out-of-range index is
// Corruption and never a wild read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln::parquet {

// OK when every one of `count` indices is below `dictionary_size`.
Status CheckDictionaryIndices(const uint32_t* indices, int64_t count, int64_t dictionary_size);

// out[i] = dictionary[indices[i]] for fixed-width values (int32_t, int64_t,
// float, double, uint8_t booleans, ...).
// REQUIRES: `out` has room for `count` values.
template <typename T>
Status DictionaryGather(const T* dictionary, int64_t dictionary_size, const uint32_t* indices, int64_t count,
                        T* out) {
  Status status = CheckDictionaryIndices(indices, count, dictionary_size);
  if (!status.ok()) return status;
  for (int64_t i = 0; i < count; ++i) out[i] = dictionary[indices[i]];
  return Status::OK();
}

// The same for values of `value_width` bytes (FIXED_LEN_BYTE_ARRAY, INT96).
Status DictionaryGatherFixed(const uint8_t* dictionary, int64_t dictionary_size, int value_width,
                             const uint32_t* indices, int64_t count, uint8_t* out);

// Appends the byte arrays named by `indices` in Kiln's string layout, as
// DecodePlainByteArray does: bytes to `bytes`, end positions to `offsets`.
// The dictionary is itself in that layout (dictionary_size + 1 offsets).
// On error both buffers are left as they were.
Status DictionaryGatherByteArray(const int64_t* dictionary_offsets, const uint8_t* dictionary_bytes,
                                 int64_t dictionary_size, const uint32_t* indices, int64_t count,
                                 Buffer* offsets, Buffer* bytes);

}  // namespace kiln::parquet
