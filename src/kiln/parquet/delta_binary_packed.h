// DELTA_BINARY_PACKED: INT32 and INT64 values as bit-packed deltas.
//
// Layout: a header (block size, miniblocks per block, total count, first
// value), then blocks of deltas. Each block holds a zigzag min delta, one bit
// width byte per miniblock, and the miniblocks: (delta - min delta) packed at
// that width, 32 values at a time. All arithmetic wraps in the unsigned type
// of T, as the specification requires, so any input decodes without overflow.
// The same format carries the lengths of DELTA_LENGTH_BYTE_ARRAY and the
// prefix lengths of DELTA_BYTE_ARRAY.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln::parquet {

// Decodes values in batches, writing whole groups of 32 straight into the
// caller's array. T is int32_t or int64_t.
template <typename T>
class DeltaBinaryPackedDecoder {
 public:
  DeltaBinaryPackedDecoder() = default;
  DeltaBinaryPackedDecoder(const DeltaBinaryPackedDecoder&) = delete;
  DeltaBinaryPackedDecoder& operator=(const DeltaBinaryPackedDecoder&) = delete;

  // Reads the header at the start of [data, data + size). Corruption when it
  // is truncated or inconsistent (block size not a multiple of 128, miniblock
  // size not a multiple of 32, more than 2^31 - 1 values).
  Status Init(const uint8_t* data, size_t size);

  // The value count from the header, and how many are still to be decoded.
  int64_t total_values() const { return total_values_; }
  int64_t values_left() const { return values_left_; }

  // Writes the next `count` values to `out` and returns `count`, or returns
  // fewer when the data holds fewer values or is malformed; status() then
  // says why (a short return always comes with a non-OK status).
  // REQUIRES: Init() returned OK, count >= 0.
  int Decode(T* out, int count);

  // Bytes from `data` to the end of the last miniblock read: once every value
  // is decoded, the size of the encoded run (DELTA_LENGTH_BYTE_ARRAY data
  // starts there).
  size_t bytes_consumed() const { return static_cast<size_t>(pos_ - start_); }

  const Status& status() const { return status_; }

 private:
  using U = std::make_unsigned_t<T>;

  // Moves to the next miniblock, reading a block header when one is due.
  bool NextMiniblock();
  // Unpacks `groups` groups of 32 deltas of the current miniblock into `out`
  // and turns them into values.
  void DecodeGroups(U* out, int64_t groups);
  void Fail(const std::string& message);

  const uint8_t* start_ = nullptr;  // Start of the encoded data.
  const uint8_t* pos_ = nullptr;    // Next unread byte.
  const uint8_t* end_ = nullptr;    // End of the data.
  int64_t values_per_block_ = 0;    // From the header; a multiple of 128.
  int64_t miniblocks_per_block_ = 0;
  int64_t values_per_miniblock_ = 0;  // A multiple of 32.
  int64_t total_values_ = 0;        // From the header.
  int64_t values_left_ = 0;         // Not yet returned by Decode.
  bool first_pending_ = false;      // The header's first value is not yet returned.
  U last_value_ = 0;                // The latest value produced.
  U min_delta_ = 0;                 // Of the current block.
  const uint8_t* bit_widths_ = nullptr;  // Of the current block's miniblocks.
  int64_t miniblock_index_ = 0;     // Of the current miniblock within its block.
  int bit_width_ = 0;               // Of the current miniblock.
  const uint8_t* group_data_ = nullptr;  // Packed bytes of the next group to unpack.
  int64_t miniblock_left_ = 0;      // Values (incl. padding) left in the current miniblock.
  U group_[32];                     // A decoded group only partly returned.
  int group_pos_ = 0;               // Next value of group_ to return.
  int group_size_ = 0;              // Values decoded into group_.
  Status status_ = Status::Corruption("DELTA_BINARY_PACKED decoder used before Init");
};

// Appends `count` values with blocks of 128 values in 4 miniblocks of 32.
// T is int32_t or int64_t.
template <typename T>
void DeltaBinaryPackedEncode(const T* values, int64_t count, Buffer* out);

}  // namespace kiln::parquet
