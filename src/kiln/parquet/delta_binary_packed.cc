#include "kiln/parquet/delta_binary_packed.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>

#include "kiln/parquet/bit_packing.h"
#include "kiln/parquet/varint.h"

namespace kiln::parquet {

// ----------------------------------------------------------------------------
// Decoder.

template <typename T>
void DeltaBinaryPackedDecoder<T>::Fail(const std::string& message) {
  if (status_.ok()) status_ = Status::Corruption("DELTA_BINARY_PACKED: " + message);
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Init(const uint8_t* data, size_t size) {
  start_ = pos_ = data;
  end_ = data + size;
  group_pos_ = group_size_ = 0;
  miniblock_left_ = 0;
  status_ = Status::OK();
  uint64_t block_size, miniblocks, total, first;
  if (!ReadUleb128(&pos_, end_, &block_size) || !ReadUleb128(&pos_, end_, &miniblocks) ||
      !ReadUleb128(&pos_, end_, &total) || !ReadUleb128(&pos_, end_, &first)) {
    Fail("truncated or overlong header");
    return status_;
  }
  if (block_size == 0 || block_size % 128 != 0 || block_size > INT32_MAX) {
    Fail("block size " + std::to_string(block_size) + " is not a positive multiple of 128");
    return status_;
  }
  if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    Fail(std::to_string(miniblocks) + " miniblocks do not split a block of " + std::to_string(block_size) +
         " values into multiples of 32");
    return status_;
  }
  if (total > INT32_MAX) {
    Fail("value count " + std::to_string(total) + " is larger than a page can hold");
    return status_;
  }
  values_per_block_ = static_cast<int64_t>(block_size);
  miniblocks_per_block_ = static_cast<int64_t>(miniblocks);
  values_per_miniblock_ = values_per_block_ / miniblocks_per_block_;
  total_values_ = values_left_ = static_cast<int64_t>(total);
  first_pending_ = total > 0;
  last_value_ = static_cast<U>(ZigZagDecode(first));
  miniblock_index_ = miniblocks_per_block_;  // The first miniblock needs a block header.
  return status_;
}

template <typename T>
bool DeltaBinaryPackedDecoder<T>::NextMiniblock() {
  if (miniblock_index_ == miniblocks_per_block_) {
    uint64_t zigzag;
    if (!ReadUleb128(&pos_, end_, &zigzag)) {
      Fail("block header is truncated or overlong");
      return false;
    }
    min_delta_ = static_cast<U>(ZigZagDecode(zigzag));
    if (end_ - pos_ < miniblocks_per_block_) {
      Fail("miniblock bit widths are cut off");
      return false;
    }
    bit_widths_ = pos_;
    pos_ += miniblocks_per_block_;
    miniblock_index_ = 0;
  }
  int width = bit_widths_[miniblock_index_++];
  if (width > static_cast<int>(8 * sizeof(T))) {
    Fail("miniblock bit width " + std::to_string(width) + " is wider than the " + std::to_string(8 * sizeof(T)) +
         "-bit type");
    return false;
  }
  // Miniblocks are always stored whole, even the padded last one.
  int64_t bytes = values_per_miniblock_ / 8 * width;
  if (end_ - pos_ < bytes) {
    Fail("miniblock of " + std::to_string(bytes) + " bytes is cut off");
    return false;
  }
  bit_width_ = width;
  group_data_ = pos_;
  pos_ += bytes;
  miniblock_left_ = values_per_miniblock_;
  return true;
}

template <typename T>
void DeltaBinaryPackedDecoder<T>::DecodeGroups(U* out, int64_t groups) {
  int64_t count = groups * 32;
  UnpackBits<U>(group_data_, bit_width_, count, out);
  group_data_ += groups * 4 * bit_width_;
  miniblock_left_ -= count;
  U value = last_value_;
  const U min_delta = min_delta_;
  for (int64_t i = 0; i < count; ++i) {
    value += min_delta + out[i];
    out[i] = value;
  }
  last_value_ = value;
}

template <typename T>
int DeltaBinaryPackedDecoder<T>::Decode(T* out, int count) {
  if (!status_.ok()) return 0;
  U* cursor = reinterpret_cast<U*>(out);
  const int64_t target = std::min<int64_t>(count, values_left_);
  int64_t done = 0;
  if (target > 0 && first_pending_) {
    cursor[0] = last_value_;
    first_pending_ = false;
    done = 1;
  }
  while (done < target) {
    if (group_pos_ < group_size_) {
      int64_t n = std::min<int64_t>(target - done, group_size_ - group_pos_);
      std::memcpy(cursor + done, group_ + group_pos_, n * sizeof(U));
      group_pos_ += static_cast<int>(n);
      done += n;
      continue;
    }
    if (miniblock_left_ == 0 && !NextMiniblock()) break;
    // Whole groups go straight to the caller; a group that would overrun the
    // request is decoded into group_ and handed out piecemeal.
    int64_t groups = std::min((target - done) / 32, miniblock_left_ / 32);
    if (groups > 0) {
      DecodeGroups(cursor + done, groups);
      done += groups * 32;
    } else {
      DecodeGroups(group_, 1);
      group_pos_ = 0;
      group_size_ = 32;
    }
  }
  values_left_ -= done;
  if (done < count && status_.ok()) {
    status_ = Status::Corruption("DELTA_BINARY_PACKED: asked for " + std::to_string(count - done) +
                                 " more values than the " + std::to_string(total_values_) + " encoded");
  }
  return static_cast<int>(done);
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

// ----------------------------------------------------------------------------
// Encoder.

namespace {
constexpr int kValuesPerBlock = 128;
constexpr int kMiniblocksPerBlock = 4;
constexpr int kValuesPerMiniblock = kValuesPerBlock / kMiniblocksPerBlock;
}  // namespace

template <typename T>
void DeltaBinaryPackedEncode(const T* values, int64_t count, Buffer* out) {
  using U = std::make_unsigned_t<T>;
  WriteUleb128(kValuesPerBlock, out);
  WriteUleb128(kMiniblocksPerBlock, out);
  WriteUleb128(static_cast<uint64_t>(count), out);
  WriteUleb128(ZigZagEncode(count > 0 ? values[0] : 0), out);
  U deltas[kValuesPerBlock];
  for (int64_t start = 1; start < count; start += kValuesPerBlock) {
    const int n = static_cast<int>(std::min<int64_t>(kValuesPerBlock, count - start));
    // Deltas wrap in the unsigned type; the minimum is taken as signed.
    T min_delta = std::numeric_limits<T>::max();
    for (int i = 0; i < n; ++i) {
      deltas[i] = static_cast<U>(values[start + i]) - static_cast<U>(values[start + i - 1]);
      min_delta = std::min(min_delta, static_cast<T>(deltas[i]));
    }
    for (int i = 0; i < n; ++i) deltas[i] -= static_cast<U>(min_delta);
    std::fill(deltas + n, deltas + kValuesPerBlock, U{0});  // Padding of the last miniblock.
    WriteUleb128(ZigZagEncode(min_delta), out);
    const int used = (n + kValuesPerMiniblock - 1) / kValuesPerMiniblock;
    uint8_t widths[kMiniblocksPerBlock] = {};
    for (int m = 0; m < used; ++m) {
      U largest = *std::max_element(deltas + m * kValuesPerMiniblock, deltas + (m + 1) * kValuesPerMiniblock);
      widths[m] = static_cast<uint8_t>(BitWidthOf(largest));
    }
    out->Append(widths, kMiniblocksPerBlock);
    for (int m = 0; m < used; ++m) {
      size_t offset = out->size();
      out->Resize(offset + kValuesPerMiniblock / 8 * widths[m]);
      PackBits<U>(deltas + m * kValuesPerMiniblock, kValuesPerMiniblock, widths[m], out->data() + offset);
    }
  }
}

template void DeltaBinaryPackedEncode<int32_t>(const int32_t*, int64_t, Buffer*);
template void DeltaBinaryPackedEncode<int64_t>(const int64_t*, int64_t, Buffer*);

}  // namespace kiln::parquet
