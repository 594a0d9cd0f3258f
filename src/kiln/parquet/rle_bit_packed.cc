#include "kiln/parquet/rle_bit_packed.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

#include "kiln/parquet/bit_packing.h"
#include "kiln/parquet/varint.h"

namespace kiln::parquet {

// ----------------------------------------------------------------------------
// Decoder.

void RleBitPackedDecoder::Reset(const uint8_t* data, size_t size, int bit_width) {
  pos_ = data;
  end_ = data + size;
  bit_width_ = bit_width;
  value_bytes_ = (bit_width + 7) / 8;
  run_remaining_ = 0;
  literal_ = false;
  values_read_ = 0;
  status_ = Status::OK();
  if (bit_width < 0 || bit_width > 32) {
    status_ = Status::Corruption("RLE/bit-packed bit width " + std::to_string(bit_width) + " is not in 0..32");
  }
}

Status RleBitPackedDecoder::ResetLengthPrefixed(const uint8_t* data, size_t size, int bit_width,
                                                size_t* consumed) {
  if (size < 4) {
    Reset(data, 0, bit_width);
    status_ = Status::Corruption("RLE/bit-packed data lacks its 4-byte length");
    return status_;
  }
  uint32_t length;
  std::memcpy(&length, data, sizeof(length));
  if (length > size - 4) {
    Reset(data, 0, bit_width);
    status_ = Status::Corruption("RLE/bit-packed length " + std::to_string(length) + " exceeds the " +
                                 std::to_string(size - 4) + " bytes left in the page");
    return status_;
  }
  Reset(data + 4, length, bit_width);
  *consumed = 4 + size_t{length};
  return status_;
}

bool RleBitPackedDecoder::NextRun() {
  if (pos_ == end_) return false;
  uint32_t header;
  if (!ReadUleb128(&pos_, end_, &header)) {
    status_ = Status::Corruption("truncated or overlong RLE/bit-packed run header after " +
                                 std::to_string(values_read_) + " values");
    return false;
  }
  if (header & 1) {
    // Bit-packed: (header >> 1) groups of 8 values, bit_width bytes per group.
    int64_t groups = header >> 1;
    int64_t bytes = groups * bit_width_;
    int64_t available = end_ - pos_;
    literal_count_ = groups * 8;
    if (bytes > available) {
      // Tolerate a short final run: keep the whole values its bytes hold.
      literal_count_ = available * 8 / bit_width_;
      bytes = available;
    }
    literal_ = true;
    literal_data_ = pos_;
    literal_index_ = 0;
    run_remaining_ = literal_count_;
    pos_ += bytes;
    return true;
  }
  if (end_ - pos_ < value_bytes_) {
    status_ = Status::Corruption("RLE run value is cut off after " + std::to_string(values_read_) + " values");
    return false;
  }
  uint32_t value = 0;
  std::memcpy(&value, pos_, value_bytes_);
  pos_ += value_bytes_;
  if (bit_width_ < 32 && (value >> bit_width_) != 0) {
    status_ = Status::Corruption("RLE run value " + std::to_string(value) + " does not fit in " +
                                 std::to_string(bit_width_) + " bits");
    return false;
  }
  literal_ = false;
  repeated_value_ = value;
  run_remaining_ = header >> 1;
  return true;
}

template <typename U>
void RleBitPackedDecoder::UnpackLiteral(U* out, int64_t count) {
  int64_t index = literal_index_;
  literal_index_ += count;
  // Bit-packed values are byte aligned every 8 values; finish a partly
  // consumed group through a scratch copy first.
  if (index % 8 != 0) {
    int64_t group_start = index - index % 8;
    int64_t group_size = std::min<int64_t>(8, literal_count_ - group_start);
    U group[8];
    UnpackBits<U>(literal_data_ + group_start / 8 * bit_width_, bit_width_, group_size, group);
    int64_t take = std::min(count, group_start + group_size - index);
    std::memcpy(out, group + index % 8, take * sizeof(U));
    out += take;
    index += take;
    count -= take;
  }
  if (count > 0) UnpackBits<U>(literal_data_ + index / 8 * bit_width_, bit_width_, count, out);
}

void RleBitPackedDecoder::SetShortRead(int64_t produced, int64_t wanted) {
  if (!status_.ok()) return;
  status_ = Status::Corruption("RLE/bit-packed data ends after " + std::to_string(values_read_) +
                               " values; " + std::to_string(wanted - produced) + " more were expected");
}

template <typename T>
int RleBitPackedDecoder::Decode(T* out, int count) {
  using U = std::make_unsigned_t<T>;
  if (!status_.ok()) return 0;
  if (bit_width_ > static_cast<int>(8 * sizeof(T))) {
    status_ = Status::InvalidArgument("cannot decode " + std::to_string(bit_width_) + "-bit values into " +
                                      std::to_string(8 * sizeof(T)) + "-bit integers");
    return 0;
  }
  U* cursor = reinterpret_cast<U*>(out);
  int64_t done = 0;
  while (done < count) {
    if (run_remaining_ == 0) {
      if (!NextRun()) break;
      continue;
    }
    int64_t n = std::min<int64_t>(count - done, run_remaining_);
    if (literal_) {
      UnpackLiteral(cursor + done, n);
    } else {
      std::fill(cursor + done, cursor + done + n, static_cast<U>(repeated_value_));
    }
    done += n;
    run_remaining_ -= n;
    values_read_ += n;
  }
  if (done < count) SetShortRead(done, count);
  return static_cast<int>(done);
}

int RleBitPackedDecoder::Skip(int count) {
  if (!status_.ok()) return 0;
  int64_t done = 0;
  while (done < count) {
    if (run_remaining_ == 0) {
      if (!NextRun()) break;
      continue;
    }
    int64_t n = std::min<int64_t>(count - done, run_remaining_);
    if (literal_) literal_index_ += n;
    done += n;
    run_remaining_ -= n;
    values_read_ += n;
  }
  if (done < count) SetShortRead(done, count);
  return static_cast<int>(done);
}

template int RleBitPackedDecoder::Decode<uint8_t>(uint8_t*, int);
template int RleBitPackedDecoder::Decode<int16_t>(int16_t*, int);
template int RleBitPackedDecoder::Decode<uint16_t>(uint16_t*, int);
template int RleBitPackedDecoder::Decode<int32_t>(int32_t*, int);
template int RleBitPackedDecoder::Decode<uint32_t>(uint32_t*, int);

// ----------------------------------------------------------------------------
// Encoder.

namespace {

// Runs shorter than this are cheaper bit-packed than as a run header plus value.
constexpr int64_t kMinRepeatedRun = 8;
// Run lengths must stay below 2^31 (Encodings.md); literal runs count groups.
constexpr int64_t kMaxRunValues = int64_t{1} << 30;

template <typename U>
void EmitRepeated(U value, int64_t count, int bit_width, Buffer* out) {
  const int value_bytes = (bit_width + 7) / 8;
  const uint32_t wide = static_cast<uint32_t>(value);
  while (count > 0) {
    int64_t n = std::min(count, kMaxRunValues);
    WriteUleb128(static_cast<uint64_t>(n) << 1, out);
    out->Append(&wide, value_bytes);  // Little-endian host: the low bytes come first.
    count -= n;
  }
}

// Bit-packs `count` values, zero-padding the last group to 8 values.
// REQUIRES: count is a multiple of 8 unless these are the last values.
template <typename U>
void EmitLiteral(const U* values, int64_t count, int bit_width, Buffer* out) {
  while (count > 0) {
    int64_t n = std::min(count, kMaxRunValues);
    int64_t groups = (n + 7) / 8;
    WriteUleb128((static_cast<uint64_t>(groups) << 1) | 1, out);
    size_t start = out->size();
    size_t bytes = static_cast<size_t>(groups * bit_width);
    out->Resize(start + bytes);
    std::memset(out->data() + start, 0, bytes);
    PackBits<U>(values, n, bit_width, out->data() + start);
    values += n;
    count -= n;
  }
}

}  // namespace

template <typename T>
void RleBitPackedEncode(const T* signed_values, int64_t count, int bit_width, Buffer* out) {
  using U = std::make_unsigned_t<T>;
  const U* values = reinterpret_cast<const U*>(signed_values);
  int64_t pending_start = 0;  // First value not yet written.
  int64_t i = 0;
  while (i < count) {
    int64_t j = i + 1;
    while (j < count && values[j] == values[i]) ++j;
    int64_t run = j - i;
    // Bit-packed runs must hold whole groups of 8, so values still pending
    // before this run borrow its first few values to complete their group.
    int64_t borrow = (8 - (i - pending_start) % 8) % 8;
    if (run - borrow >= kMinRepeatedRun) {
      EmitLiteral(values + pending_start, i - pending_start + borrow, bit_width, out);
      EmitRepeated(values[i], run - borrow, bit_width, out);
      pending_start = j;
    }
    i = j;
  }
  EmitLiteral(values + pending_start, count - pending_start, bit_width, out);
}

template <typename T>
void RleBitPackedEncodeWithLength(const T* values, int64_t count, int bit_width, Buffer* out) {
  size_t start = out->size();
  out->Resize(start + 4);
  RleBitPackedEncode(values, count, bit_width, out);
  uint32_t length = static_cast<uint32_t>(out->size() - start - 4);
  std::memcpy(out->data() + start, &length, sizeof(length));
}

template void RleBitPackedEncode<uint8_t>(const uint8_t*, int64_t, int, Buffer*);
template void RleBitPackedEncode<int16_t>(const int16_t*, int64_t, int, Buffer*);
template void RleBitPackedEncode<uint16_t>(const uint16_t*, int64_t, int, Buffer*);
template void RleBitPackedEncode<int32_t>(const int32_t*, int64_t, int, Buffer*);
template void RleBitPackedEncode<uint32_t>(const uint32_t*, int64_t, int, Buffer*);
template void RleBitPackedEncodeWithLength<uint8_t>(const uint8_t*, int64_t, int, Buffer*);
template void RleBitPackedEncodeWithLength<int16_t>(const int16_t*, int64_t, int, Buffer*);
template void RleBitPackedEncodeWithLength<uint16_t>(const uint16_t*, int64_t, int, Buffer*);
template void RleBitPackedEncodeWithLength<int32_t>(const int32_t*, int64_t, int, Buffer*);
template void RleBitPackedEncodeWithLength<uint32_t>(const uint32_t*, int64_t, int, Buffer*);

}  // namespace kiln::parquet
