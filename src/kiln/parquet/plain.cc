#include "kiln/parquet/plain.h"

#include <cstring>
#include <string>

#include "kiln/parquet/bit_packing.h"

namespace kiln::parquet {

namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;
// Julian day number of 1970-01-01.
constexpr int64_t kJulianEpochDay = 2'440'588;
// Byte arrays up to this long take the fixed-size copy path.
constexpr int64_t kShortValue = 16;

Status TooShort(const char* what, int64_t count, size_t needed, size_t size) {
  return Status::Corruption("PLAIN " + std::string(what) + ": " + std::to_string(count) + " values need " +
                            std::to_string(needed) + " bytes but the page has " + std::to_string(size));
}

uint32_t LoadLength(const uint8_t* data) {
  uint32_t length;
  std::memcpy(&length, data, sizeof(length));
  return length;
}

}  // namespace

Status DecodePlainFixed(const uint8_t* data, size_t size, int64_t count, int value_width, void* out,
                        size_t* consumed) {
  if (value_width <= 0) return Status::Corruption("PLAIN values of width " + std::to_string(value_width));
  // Dividing avoids overflow in count * value_width for hostile counts.
  if (count < 0 || static_cast<uint64_t>(count) > size / value_width) {
    return TooShort("values", count, static_cast<size_t>(count) * value_width, size);
  }
  size_t bytes = static_cast<size_t>(count) * value_width;
  if (bytes != 0) std::memcpy(out, data, bytes);
  *consumed = bytes;
  return Status::OK();
}

Status DecodePlainBoolean(const uint8_t* data, size_t size, int64_t count, uint8_t* out, size_t* consumed) {
  if (count < 0 || static_cast<uint64_t>(count) > uint64_t{size} * 8) {
    return TooShort("booleans", count, static_cast<size_t>(BitPackedBytes(count, 1)), size);
  }
  UnpackBits<uint8_t>(data, 1, count, out);
  *consumed = static_cast<size_t>(BitPackedBytes(count, 1));
  return Status::OK();
}

Status DecodePlainByteArray(const uint8_t* data, size_t size, int64_t count, Buffer* offsets, Buffer* bytes,
                            size_t* consumed) {
  // Every value takes at least its 4-byte length.
  if (count < 0 || static_cast<uint64_t>(count) > size / 4) {
    return TooShort("byte arrays", count, static_cast<size_t>(count) * 4, size);
  }
  const size_t offsets_start = offsets->size();
  const size_t bytes_start = bytes->size();
  offsets->Resize(offsets_start + count * sizeof(int64_t));
  // The value bytes cannot exceed the page, so one reservation serves all.
  bytes->Reserve(bytes_start + size);
  int64_t* ends = reinterpret_cast<int64_t*>(offsets->data() + offsets_start);
  uint8_t* out = bytes->data() + bytes_start;
  const uint8_t* pos = data;
  const uint8_t* end = data + size;
  // Short values are copied as one fixed 16-byte block while both sides have
  // that much room: much cheaper than a variable-length memcpy call.
  const uint8_t* out_end = bytes->data() + bytes->capacity();
  for (int64_t i = 0; i < count; ++i) {
    if (end - pos < 4) {
      offsets->Resize(offsets_start);
      return Status::Corruption("PLAIN byte arrays: page ends at value " + std::to_string(i) + " of " +
                                std::to_string(count));
    }
    uint32_t length = LoadLength(pos);
    pos += 4;
    if (length > static_cast<size_t>(end - pos)) {
      offsets->Resize(offsets_start);
      return Status::Corruption("PLAIN byte arrays: value " + std::to_string(i) + " has length " +
                                std::to_string(length) + " but only " + std::to_string(end - pos) +
                                " bytes remain");
    }
    if (length <= kShortValue && end - pos >= kShortValue && out_end - out >= kShortValue) {
      std::memcpy(out, pos, kShortValue);
    } else {
      std::memcpy(out, pos, length);
    }
    out += length;
    pos += length;
    ends[i] = static_cast<int64_t>(out - bytes->data());
  }
  bytes->Resize(out - bytes->data());
  *consumed = pos - data;
  return Status::OK();
}

int64_t Int96ToMicros(const uint8_t* value) {
  int64_t nanos_of_day;
  int32_t julian_day;
  std::memcpy(&nanos_of_day, value, sizeof(nanos_of_day));
  std::memcpy(&julian_day, value + 8, sizeof(julian_day));
  // Unsigned arithmetic: garbage days wrap instead of overflowing.
  uint64_t days = static_cast<uint64_t>(int64_t{julian_day} - kJulianEpochDay);
  return static_cast<int64_t>(days * kMicrosPerDay + static_cast<uint64_t>(nanos_of_day / 1000));
}

void MicrosToInt96(int64_t micros, uint8_t* value) {
  int64_t days = micros / kMicrosPerDay;
  int64_t micros_of_day = micros % kMicrosPerDay;
  if (micros_of_day < 0) {
    micros_of_day += kMicrosPerDay;
    days -= 1;
  }
  int64_t nanos_of_day = micros_of_day * 1000;
  int32_t julian_day = static_cast<int32_t>(days + kJulianEpochDay);
  std::memcpy(value, &nanos_of_day, sizeof(nanos_of_day));
  std::memcpy(value + 8, &julian_day, sizeof(julian_day));
}

Status DecodePlainInt96ToMicros(const uint8_t* data, size_t size, int64_t count, int64_t* out,
                                size_t* consumed) {
  if (count < 0 || static_cast<uint64_t>(count) > size / 12) {
    return TooShort("INT96", count, static_cast<size_t>(count) * 12, size);
  }
  for (int64_t i = 0; i < count; ++i) out[i] = Int96ToMicros(data + 12 * i);
  *consumed = static_cast<size_t>(count) * 12;
  return Status::OK();
}

void EncodePlainFixed(const void* values, int64_t count, int value_width, Buffer* out) {
  out->Append(values, static_cast<size_t>(count) * value_width);
}

void EncodePlainBoolean(const uint8_t* values, int64_t count, Buffer* out) {
  if (count == 0) return;  // An empty buffer has no storage to clear.
  size_t start = out->size();
  size_t bytes = static_cast<size_t>(BitPackedBytes(count, 1));
  out->Resize(start + bytes);
  uint8_t* packed = out->data() + start;
  std::memset(packed, 0, bytes);
  for (int64_t i = 0; i < count; ++i) {
    packed[i >> 3] |= static_cast<uint8_t>((values[i] != 0) << (i & 7));
  }
}

Status EncodePlainByteArray(const int64_t* offsets, const uint8_t* bytes, int64_t count, Buffer* out) {
  size_t start = out->size();
  out->Reserve(start + count * 4 + (offsets[count] - offsets[0]));
  for (int64_t i = 0; i < count; ++i) {
    int64_t length = offsets[i + 1] - offsets[i];
    if (length < 0 || length > INT32_MAX) {
      out->Resize(start);
      return Status::InvalidArgument("byte array value " + std::to_string(i) + " of " + std::to_string(length) +
                                     " bytes cannot be stored in Parquet");
    }
    uint32_t length32 = static_cast<uint32_t>(length);
    out->Append(&length32, 4);
    out->Append(bytes + offsets[i], length);
  }
  return Status::OK();
}

}  // namespace kiln::parquet
