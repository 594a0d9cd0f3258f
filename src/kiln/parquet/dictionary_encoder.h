// Dictionary encoding for writers: assigns each value the index of its first
// occurrence and collects the distinct values for the dictionary page.
//
// The writer PLAIN-encodes values() (or the byte arrays) into the dictionary
// page and RLE/bit-packs the indices at index_bit_width() for each data page;
// when size() or dictionary_bytes() grows past its budget it falls back to
// PLAIN for the rest of the column chunk. Values compare by their bytes, so
// NaN payloads and -0.0 are entries of their own, as readers expect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kiln/core/buffer.h"

namespace kiln::parquet {

// For fixed-width values: int32_t, int64_t, float, double.
template <typename T>
class DictionaryEncoder {
 public:
  DictionaryEncoder() { Reset(); }
  DictionaryEncoder(const DictionaryEncoder&) = delete;
  DictionaryEncoder& operator=(const DictionaryEncoder&) = delete;

  // Writes the dictionary index of each of `count` values to `indices`,
  // adding values not seen before.
  void Encode(const T* values, int64_t count, uint32_t* indices);

  // Distinct values so far, in index order.
  int64_t size() const { return static_cast<int64_t>(values_.size()); }
  const T* values() const { return values_.data(); }
  // PLAIN size of the dictionary page.
  int64_t dictionary_bytes() const { return size() * static_cast<int64_t>(sizeof(T)); }
  // Bit width for the indices in data pages (at least 1).
  int index_bit_width() const;

  // Forgets every value, for the next column chunk.
  void Reset();

 private:
  void Grow();

  std::vector<T> values_;        // Distinct values by index.
  std::vector<uint32_t> slots_;  // Open addressing: index + 1, or 0 when empty.
};

// For byte arrays in Kiln's string layout.
class ByteArrayDictionaryEncoder {
 public:
  ByteArrayDictionaryEncoder() { Reset(); }
  ByteArrayDictionaryEncoder(const ByteArrayDictionaryEncoder&) = delete;
  ByteArrayDictionaryEncoder& operator=(const ByteArrayDictionaryEncoder&) = delete;

  // As DictionaryEncoder::Encode for `count` values given as count + 1
  // offsets into `bytes`.
  void Encode(const int64_t* offsets, const uint8_t* bytes, int64_t count, uint32_t* indices);

  int64_t size() const { return static_cast<int64_t>(offsets_.size()) - 1; }
  // The distinct values in Kiln's string layout: size() + 1 offsets into bytes().
  const int64_t* offsets() const { return offsets_.data(); }
  const uint8_t* bytes() const { return bytes_.data(); }
  // PLAIN size of the dictionary page: the bytes plus a 4-byte length each.
  int64_t dictionary_bytes() const { return static_cast<int64_t>(bytes_.size()) + 4 * size(); }
  int index_bit_width() const;

  void Reset();

 private:
  void Grow();
  uint64_t HashOf(uint32_t index) const;

  std::vector<int64_t> offsets_;  // size() + 1 positions in bytes_.
  Buffer bytes_;                  // The distinct values back to back.
  std::vector<uint32_t> slots_;   // Open addressing: index + 1, or 0 when empty.
  std::vector<uint64_t> hashes_;  // Hash of each distinct value, for growing.
};

}  // namespace kiln::parquet
