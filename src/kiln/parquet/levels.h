// Definition and repetition levels: decoding them from data pages (v1 and
// v2) and counting them, for the column chunk reader.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"
#include "kiln/parquet/parquet_types.h"

namespace kiln::parquet {

// Decodes `count` levels of at most `max_level` into `out`. Data page v1
// levels carry a length prefix (RLE) or are MSB-first bit-packed (the
// deprecated BIT_PACKED encoding); *consumed receives the bytes used.
Status DecodeLevelsV1(format::Encoding::type encoding, const uint8_t* data, size_t size, int16_t max_level,
                      int64_t count, uint8_t* out, size_t* consumed, Buffer* scratch);

// Data page v2 levels: bare RLE runs of a known byte length.
Status DecodeLevelsV2(const uint8_t* data, size_t size, int16_t max_level, int64_t count, uint8_t* out);

// The number of ones among `count` bytes that are each 0 or 1, eight at a
// time: byte lanes of a word add up without carrying for 255 words.
int64_t CountOnes(const uint8_t* bytes, int64_t count);

// How many of `count` levels equal `level`; Corruption if one exceeds
// `max_level`. Levels are decoded at the bit width of their maximum, so a
// maximum of 1 needs no check, and the common flat case is a count of ones.
Status CountLevels(const uint8_t* levels, int64_t count, uint8_t level, uint8_t max_level, int64_t* matching);

}  // namespace kiln::parquet
