#include "kiln/parquet/levels.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "kiln/parquet/bit_packing.h"
#include "kiln/parquet/rle_bit_packed.h"
#include "kiln/parquet/schema_import.h"

namespace kiln::parquet {

using format::Encoding;

// Decodes `count` levels of at most `max_level` into `out`. Data page v1
// levels carry a length prefix (RLE) or are MSB-first bit-packed (the
// deprecated BIT_PACKED encoding); *consumed receives the bytes used.
Status DecodeLevelsV1(Encoding::type encoding, const uint8_t* data, size_t size, int16_t max_level, int64_t count,
                      uint8_t* out, size_t* consumed, Buffer* scratch) {
  const int bit_width = BitWidthOf(static_cast<uint64_t>(max_level));
  if (encoding == Encoding::RLE) {
    RleBitPackedDecoder decoder;
    Status status = decoder.ResetLengthPrefixed(data, size, bit_width, consumed);
    if (!status.ok()) return status;
    if (decoder.Decode(out, static_cast<int>(count)) != count) return decoder.status();
    return Status::OK();
  }
  if (encoding != Encoding::BIT_PACKED) {
    return Status::NotSupported(EncodingName(encoding) + " encoding of levels");
  }
  const int64_t bytes = BitPackedBytes(count, bit_width);
  if (static_cast<uint64_t>(bytes) > size) return Status::Corruption("BIT_PACKED levels run past the page");
  scratch->Resize(static_cast<size_t>(count) * sizeof(uint16_t));
  uint16_t* wide = scratch->mutable_as<uint16_t>();
  UnpackBitsMsbFirst(data, bit_width, count, wide);
  for (int64_t i = 0; i < count; ++i) out[i] = static_cast<uint8_t>(wide[i]);
  *consumed = static_cast<size_t>(bytes);
  return Status::OK();
}

// Data page v2 levels: bare RLE runs of a known byte length.
Status DecodeLevelsV2(const uint8_t* data, size_t size, int16_t max_level, int64_t count, uint8_t* out) {
  RleBitPackedDecoder decoder(data, size, BitWidthOf(static_cast<uint64_t>(max_level)));
  if (decoder.Decode(out, static_cast<int>(count)) != count) return decoder.status();
  return Status::OK();
}

// The number of ones among `count` bytes that are each 0 or 1, eight at a
// time: byte lanes of a word add up without carrying for 255 words.
int64_t CountOnes(const uint8_t* bytes, int64_t count) {
  constexpr uint64_t kLowBytes = 0x00FF00FF00FF00FFull;
  int64_t total = 0, i = 0;
  while (count - i >= 8) {
    uint64_t lanes = 0;
    const int64_t block_end = i + std::min<int64_t>((count - i) / 8, 255) * 8;
    for (; i < block_end; i += 8) {
      uint64_t word;
      std::memcpy(&word, bytes + i, sizeof(word));
      lanes += word;
    }
    // Pairs of byte lanes into 16-bit lanes (at most 510 each), then all four.
    const uint64_t pairs = (lanes & kLowBytes) + ((lanes >> 8) & kLowBytes);
    total += static_cast<int64_t>((pairs * 0x0001000100010001ull) >> 48);
  }
  for (; i < count; ++i) total += bytes[i];
  return total;
}

// How many of `count` levels equal `level`; Corruption if one exceeds
// `max_level`. Levels are decoded at the bit width of their maximum, so a
// maximum of 1 needs no check, and the common flat case is a count of ones.
Status CountLevels(const uint8_t* levels, int64_t count, uint8_t level, uint8_t max_level, int64_t* matching) {
  if (level == 1 && max_level == 1) {
    *matching = CountOnes(levels, count);
    return Status::OK();
  }
  uint8_t highest = 0;
  int64_t equal = 0;
  for (int64_t i = 0; i < count; ++i) {
    highest = std::max(highest, levels[i]);
    equal += levels[i] == level;
  }
  if (count > 0 && highest > max_level) {
    return Status::Corruption("level " + std::to_string(highest) + " exceeds the maximum " + std::to_string(max_level));
  }
  *matching = equal;
  return Status::OK();
}

}  // namespace kiln::parquet
