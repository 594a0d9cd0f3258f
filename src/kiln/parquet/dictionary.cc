#include "kiln/parquet/dictionary.h"

#include <string>

namespace kiln::parquet {

namespace {
// Byte arrays up to this long take the fixed-size copy path.
constexpr int64_t kShortValue = 16;
}  // namespace

Status CheckDictionaryIndices(const uint32_t* indices, int64_t count, int64_t dictionary_size) {
  // A max-reduction without early exit vectorises; errors are rare.
  uint32_t largest = 0;
  for (int64_t i = 0; i < count; ++i) largest = indices[i] > largest ? indices[i] : largest;
  if (count > 0 && int64_t{largest} >= dictionary_size) {
    return Status::Corruption("dictionary index " + std::to_string(largest) + " is out of range for a dictionary of " +
                              std::to_string(dictionary_size) + " values");
  }
  return Status::OK();
}

Status DictionaryGatherFixed(const uint8_t* dictionary, int64_t dictionary_size, int value_width,
                             const uint32_t* indices, int64_t count, uint8_t* out) {
  Status status = CheckDictionaryIndices(indices, count, dictionary_size);
  if (!status.ok()) return status;
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(out + i * value_width, dictionary + size_t{indices[i]} * value_width, value_width);
  }
  return Status::OK();
}

Status DictionaryGatherByteArray(const int64_t* dictionary_offsets, const uint8_t* dictionary_bytes,
                                 int64_t dictionary_size, const uint32_t* indices, int64_t count,
                                 Buffer* offsets, Buffer* bytes) {
  Status status = CheckDictionaryIndices(indices, count, dictionary_size);
  if (!status.ok()) return status;
  // Size the output exactly first, so the copy loop never grows a buffer.
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    total += dictionary_offsets[indices[i] + 1] - dictionary_offsets[indices[i]];
  }
  const size_t offsets_start = offsets->size();
  const size_t bytes_start = bytes->size();
  offsets->Resize(offsets_start + count * sizeof(int64_t));
  bytes->Resize(bytes_start + total);
  int64_t* ends = reinterpret_cast<int64_t*>(offsets->data() + offsets_start);
  int64_t position = static_cast<int64_t>(bytes_start);
  uint8_t* out = bytes->data();
  // Short values are copied as one fixed 16-byte block where both sides have
  // room for it: much cheaper than a variable-length memcpy call.
  const int64_t out_limit = static_cast<int64_t>(bytes->capacity()) - kShortValue;
  const int64_t in_limit = dictionary_offsets[dictionary_size] - kShortValue;
  for (int64_t i = 0; i < count; ++i) {
    int64_t begin = dictionary_offsets[indices[i]];
    int64_t length = dictionary_offsets[indices[i] + 1] - begin;
    if (length <= kShortValue && begin <= in_limit && position <= out_limit) {
      std::memcpy(out + position, dictionary_bytes + begin, kShortValue);
    } else if (length > 0) {
      std::memcpy(out + position, dictionary_bytes + begin, length);
    }
    position += length;
    ends[i] = position;
  }
  return Status::OK();
}

}  // namespace kiln::parquet
