#include "kiln/parquet/delta_byte_array.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "kiln/parquet/delta_binary_packed.h"
#include "kiln/parquet/delta_length_byte_array.h"

namespace kiln::parquet {

namespace {

// Decodes the prefix lengths; *consumed receives their encoded size.
Status DecodePrefixLengths(const uint8_t* data, size_t size, int64_t count, std::vector<int32_t>* prefixes,
                           size_t* consumed) {
  DeltaBinaryPackedDecoder<int32_t> decoder;
  Status status = decoder.Init(data, size);
  if (!status.ok()) return status.WithContext("DELTA_BYTE_ARRAY prefix lengths");
  if (decoder.total_values() != count) {
    return Status::Corruption("DELTA_BYTE_ARRAY holds " + std::to_string(decoder.total_values()) +
                              " prefix lengths, the page says " + std::to_string(count));
  }
  prefixes->resize(count);
  if (decoder.Decode(prefixes->data(), static_cast<int>(count)) != count) {
    return decoder.status().WithContext("DELTA_BYTE_ARRAY prefix lengths");
  }
  *consumed = decoder.bytes_consumed();
  return Status::OK();
}

}  // namespace

Status DecodeDeltaByteArray(const uint8_t* data, size_t size, int64_t count, Buffer* offsets, Buffer* bytes,
                            size_t* consumed) {
  std::vector<int32_t> prefixes;
  size_t prefix_bytes = 0;
  Status status = DecodePrefixLengths(data, size, count, &prefixes, &prefix_bytes);
  if (!status.ok()) return status;

  // Suffixes decode into scratch buffers: their offsets start at 0.
  Buffer suffix_offsets;
  Buffer suffix_bytes;
  size_t suffix_consumed = 0;
  status = DecodeDeltaLengthByteArray(data + prefix_bytes, size - prefix_bytes, count, &suffix_offsets,
                                      &suffix_bytes, &suffix_consumed);
  if (!status.ok()) return status.WithContext("DELTA_BYTE_ARRAY suffixes");
  const int64_t* suffix_ends = suffix_offsets.as<int64_t>();

  // Check every prefix and size the output before copying anything.
  int64_t total = 0;
  int64_t previous_length = 0;
  for (int64_t i = 0; i < count; ++i) {
    if (prefixes[i] < 0 || prefixes[i] > previous_length) {
      return Status::Corruption("DELTA_BYTE_ARRAY value " + std::to_string(i) + " shares " +
                                std::to_string(prefixes[i]) + " bytes with a previous value of " +
                                std::to_string(previous_length));
    }
    int64_t suffix_length = suffix_ends[i] - (i == 0 ? 0 : suffix_ends[i - 1]);
    previous_length = prefixes[i] + suffix_length;
    total += previous_length;
    if (total > kMaxDeltaByteArrayOutput) {
      return Status::Corruption("DELTA_BYTE_ARRAY page expands to more than " +
                                std::to_string(kMaxDeltaByteArrayOutput) + " bytes");
    }
  }

  const size_t offsets_start = offsets->size();
  const size_t bytes_start = bytes->size();
  offsets->Resize(offsets_start + count * sizeof(int64_t));
  bytes->Resize(bytes_start + total);
  int64_t* ends = reinterpret_cast<int64_t*>(offsets->data() + offsets_start);
  uint8_t* out = bytes->data();
  int64_t position = static_cast<int64_t>(bytes_start);
  int64_t previous_start = position;
  for (int64_t i = 0; i < count; ++i) {
    int64_t suffix_start = i == 0 ? 0 : suffix_ends[i - 1];
    int64_t suffix_length = suffix_ends[i] - suffix_start;
    // The prefix lies wholly before `position`, so the copies never overlap.
    if (prefixes[i] > 0) std::memcpy(out + position, out + previous_start, prefixes[i]);
    if (suffix_length > 0) {
      std::memcpy(out + position + prefixes[i], suffix_bytes.data() + suffix_start, suffix_length);
    }
    previous_start = position;
    position += prefixes[i] + suffix_length;
    ends[i] = position;
  }
  *consumed = prefix_bytes + suffix_consumed;
  return Status::OK();
}

Status EncodeDeltaByteArray(const int64_t* offsets, const uint8_t* bytes, int64_t count, Buffer* out) {
  std::vector<int32_t> prefixes(count);
  std::vector<int64_t> suffix_offsets(count + 1);
  Buffer suffixes;
  suffix_offsets[0] = 0;
  for (int64_t i = 0; i < count; ++i) {
    int64_t length = offsets[i + 1] - offsets[i];
    if (length < 0 || length > INT32_MAX) {
      return Status::InvalidArgument("byte array value " + std::to_string(i) + " of " + std::to_string(length) +
                                     " bytes cannot be stored in Parquet");
    }
    int64_t shared = 0;
    if (i > 0) {
      const uint8_t* previous = bytes + offsets[i - 1];
      const uint8_t* current = bytes + offsets[i];
      int64_t limit = std::min(length, offsets[i] - offsets[i - 1]);
      while (shared < limit && previous[shared] == current[shared]) ++shared;
    }
    prefixes[i] = static_cast<int32_t>(shared);
    suffixes.Append(bytes + offsets[i] + shared, length - shared);
    suffix_offsets[i + 1] = static_cast<int64_t>(suffixes.size());
  }
  DeltaBinaryPackedEncode(prefixes.data(), count, out);
  return EncodeDeltaLengthByteArray(suffix_offsets.data(), suffixes.data(), count, out);
}

}  // namespace kiln::parquet
