#include "kiln/parquet/delta_length_byte_array.h"

#include <cstring>
#include <string>
#include <vector>

#include "kiln/parquet/delta_binary_packed.h"

namespace kiln::parquet {

Status DecodeDeltaLengthByteArray(const uint8_t* data, size_t size, int64_t count, Buffer* offsets,
                                  Buffer* bytes, size_t* consumed) {
  DeltaBinaryPackedDecoder<int32_t> lengths;
  Status status = lengths.Init(data, size);
  if (!status.ok()) return status.WithContext("DELTA_LENGTH_BYTE_ARRAY lengths");
  if (lengths.total_values() != count) {
    return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY holds " + std::to_string(lengths.total_values()) +
                              " values, the page says " + std::to_string(count));
  }
  // The int32 lengths are decoded into the upper half of the new offsets and
  // widened in place: end i (bytes [8i, 8i + 8)) never reaches length i + 1
  // (at 4 * count + 4 * (i + 1)), so no scratch array is needed.
  const size_t offsets_start = offsets->size();
  offsets->Resize(offsets_start + count * sizeof(int64_t));
  int64_t* ends = reinterpret_cast<int64_t*>(offsets->data() + offsets_start);
  int32_t* length_values = reinterpret_cast<int32_t*>(ends) + count;
  if (lengths.Decode(length_values, static_cast<int>(count)) != count) {
    offsets->Resize(offsets_start);
    return lengths.status().WithContext("DELTA_LENGTH_BYTE_ARRAY lengths");
  }
  const size_t data_start = lengths.bytes_consumed();
  const int64_t available = static_cast<int64_t>(size - data_start);
  const int64_t base = static_cast<int64_t>(bytes->size());
  int64_t total = 0;
  for (int64_t i = 0; i < count; ++i) {
    int32_t length = length_values[i];
    // Checked per value so the running total cannot overflow.
    if (length < 0 || length > available - total) {
      offsets->Resize(offsets_start);
      return Status::Corruption("DELTA_LENGTH_BYTE_ARRAY value " + std::to_string(i) + " has length " +
                                std::to_string(length) + ", beyond the " + std::to_string(available) +
                                " data bytes");
    }
    total += length;
    ends[i] = base + total;
  }
  bytes->Append(data + data_start, static_cast<size_t>(total));
  *consumed = data_start + static_cast<size_t>(total);
  return Status::OK();
}

Status EncodeDeltaLengthByteArray(const int64_t* offsets, const uint8_t* bytes, int64_t count, Buffer* out) {
  std::vector<int32_t> lengths(count);
  for (int64_t i = 0; i < count; ++i) {
    int64_t length = offsets[i + 1] - offsets[i];
    if (length < 0 || length > INT32_MAX) {
      return Status::InvalidArgument("byte array value " + std::to_string(i) + " of " + std::to_string(length) +
                                     " bytes cannot be stored in Parquet");
    }
    lengths[i] = static_cast<int32_t>(length);
  }
  DeltaBinaryPackedEncode(lengths.data(), count, out);
  out->Append(bytes + offsets[0], static_cast<size_t>(offsets[count] - offsets[0]));
  return Status::OK();
}

}  // namespace kiln::parquet
