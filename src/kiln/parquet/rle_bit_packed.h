// The RLE / bit-packed hybrid encoding: definition and repetition levels,
// dictionary indices and RLE booleans.
//
// The data is a sequence of runs, each introduced by a ULEB128 header: a
// repeated run holds one value (in ceil(bit_width / 8) little-endian bytes)
// and a count; a bit-packed run holds a multiple of 8 values of bit_width
// bits (see bit_packing.h). Data page v1 levels and RLE booleans carry a
// 4-byte little-endian length before the runs; v2 levels and dictionary
// indices do not.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln::parquet {

// Decodes values in batches. Never reads outside the bytes it was given.
// A truncated final bit-packed run yields the values its bytes hold.
class RleBitPackedDecoder {
 public:
  // An empty decoder: Decode(out, n > 0) fails.
  RleBitPackedDecoder() = default;
  // Decodes runs in [data, data + size) of `bit_width`-bit values. A width
  // outside 0..32 makes status() Corruption.
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width) { Reset(data, size, bit_width); }

  RleBitPackedDecoder(const RleBitPackedDecoder&) = delete;
  RleBitPackedDecoder& operator=(const RleBitPackedDecoder&) = delete;

  // Starts over on new data, clearing any error.
  void Reset(const uint8_t* data, size_t size, int bit_width);

  // Starts over on length-prefixed data: a 4-byte little-endian length, then
  // that many bytes of runs. Sets *consumed to 4 + length. Corruption when
  // the prefix is missing or the length exceeds `size - 4`.
  Status ResetLengthPrefixed(const uint8_t* data, size_t size, int bit_width, size_t* consumed);

  // Writes the next `count` values to `out` and returns `count`, or returns
  // fewer when the data ends early or is malformed; status() then says why
  // (a short return always comes with a non-OK status).
  // T is uint8_t, int16_t, uint16_t, int32_t or uint32_t.
  // REQUIRES: bit_width <= 8 * sizeof(T) (else InvalidArgument), count >= 0.
  template <typename T>
  int Decode(T* out, int count);

  // Skips `count` values like Decode without writing them.
  int Skip(int count);

  // OK, or the first error met; once not OK, Decode and Skip return 0.
  const Status& status() const { return status_; }
  int bit_width() const { return bit_width_; }

 private:
  // Reads the next run header. False at the end of the data or on an error
  // (then status_ is set).
  bool NextRun();
  // Unpacks `count` values of the current bit-packed run into `out`.
  template <typename U>
  void UnpackLiteral(U* out, int64_t count);
  // Records that fewer than `wanted` values could be produced.
  void SetShortRead(int64_t produced, int64_t wanted);

  const uint8_t* pos_ = nullptr;      // Next run header.
  const uint8_t* end_ = nullptr;      // End of the data.
  int bit_width_ = 0;                 // Bits per value, 0..32.
  int value_bytes_ = 0;               // Bytes of a repeated run's value.
  bool literal_ = false;              // Current run is bit-packed (else repeated).
  int64_t run_remaining_ = 0;         // Values left in the current run.
  uint32_t repeated_value_ = 0;       // Value of the current repeated run.
  const uint8_t* literal_data_ = nullptr;  // Packed bytes of the current bit-packed run.
  int64_t literal_count_ = 0;         // Values the current bit-packed run holds.
  int64_t literal_index_ = 0;         // Values of it already consumed.
  int64_t values_read_ = 0;           // Values produced since Reset, for messages.
  Status status_;                     // First error met.
};

// Appends the hybrid encoding of `count` values to `out`: runs of 8 or more
// equal values become repeated runs, the rest bit-packed runs (the last one
// zero-padded to a multiple of 8 values).
// T is uint8_t, int16_t, uint16_t, int32_t or uint32_t.
// REQUIRES: 0 <= bit_width <= 32 and every value fits in bit_width bits.
template <typename T>
void RleBitPackedEncode(const T* values, int64_t count, int bit_width, Buffer* out);

// As RleBitPackedEncode, preceded by the 4-byte little-endian length of the
// encoded runs (data page v1 levels, RLE booleans).
template <typename T>
void RleBitPackedEncodeWithLength(const T* values, int64_t count, int bit_width, Buffer* out);

}  // namespace kiln::parquet
