// Validity while decoding a column chunk: ValidityBuilder collects one bit
// per slot (allocating only once a null appears), and the Spread functions
// move densely decoded values out to their slots, leaving nulls in between.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "kiln/core/bitmap.h"
#include "kiln/core/buffer.h"

namespace kiln::parquet {

// One validity bit per slot; memory is allocated only once a null appears.
class ValidityBuilder {
 public:
  int64_t length() const { return length_; }
  bool has_nulls() const { return bits_ != nullptr; }
  // REQUIRES: has_nulls()
  const uint8_t* bits() const { return bits_->data(); }

  void AppendValid(int64_t count) {
    if (bits_) AppendBits(nullptr, 0, count);
    length_ += count;
  }

  // Appends one bit per level: set when the level equals `valid_level`.
  // `valid_count` is how many do; when all are valid nothing is written.
  void AppendLevels(const uint8_t* levels, int64_t count, uint8_t valid_level, int64_t valid_count) {
    if (valid_count == count) {
      AppendValid(count);
      return;
    }
    if (!bits_) Materialize();
    AppendBits(levels, valid_level, count);
    length_ += count;
  }

  // Appends one bit, for list assembly. REQUIRES: Reserve() covered it.
  void Append(bool valid) {
    if (!valid && !bits_) Materialize();
    if (bits_) bitmap::SetTo(bits_->data(), length_, valid);
    ++length_;
  }

  // Makes room for `count` more bits, so that Append() does not reallocate.
  void Reserve(int64_t count) {
    reserved_ = length_ + count;
    if (bits_) bits_->Resize(bitmap::BytesFor(reserved_));
  }

  // The bitmap, or null when every slot is valid.
  std::shared_ptr<Buffer> Finish() { return bits_; }

 private:
  // Allocates the bitmap with every slot so far valid.
  void Materialize() {
    bits_ = std::make_shared<Buffer>();
    bits_->Resize(bitmap::BytesFor(std::max(reserved_, length_)));
    if (bits_->size() > 0) std::memset(bits_->data(), 0xFF, bits_->size());
  }

  // Writes `count` bits from length_: levels[i] == valid_level, or all set
  // when `levels` is null. Packs whole bytes, so it is one pass over levels.
  void AppendBits(const uint8_t* levels, uint8_t valid_level, int64_t count) {
    if (count == 0) return;
    if (static_cast<int64_t>(bits_->size()) < bitmap::BytesFor(length_ + count)) {
      bits_->Resize(bitmap::BytesFor(length_ + count));
    }
    uint8_t* out = bits_->data() + (length_ >> 3);
    int bit = static_cast<int>(length_ & 7);
    uint8_t byte = static_cast<uint8_t>(*out & ((1u << bit) - 1));
    for (int64_t i = 0; i < count; ++i) {
      const bool valid = levels == nullptr || levels[i] == valid_level;
      byte |= static_cast<uint8_t>(valid) << bit;
      if (++bit == 8) {
        *out++ = byte;
        byte = 0;
        bit = 0;
      }
    }
    if (bit != 0) *out = byte;
  }

  std::shared_ptr<Buffer> bits_;  // Null until the first null slot.
  int64_t length_ = 0;            // Bits appended.
  int64_t reserved_ = 0;          // Bits Reserve() made room for.
};

// Moves `values` dense values of `width` bytes (1, 4, 8 or 16) from the
// first slots of `base` to the valid slots among `slots` (validity bits from
// `first_bit` of `bits`), backwards so that nothing is overwritten before it
// moves. Null slots become zero.
void Spread(int width, uint8_t* base, const uint8_t* bits, int64_t first_bit, int64_t slots, int64_t values);

// The byte-array form: `ends` holds `values` end offsets, to become `slots`
// ends where null slots are empty. `start` is the end before the first slot.
void SpreadEnds(int64_t* ends, int64_t start, const uint8_t* bits, int64_t first_bit, int64_t slots, int64_t values);

}  // namespace kiln::parquet
