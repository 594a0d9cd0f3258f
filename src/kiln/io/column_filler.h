// ColumnFiller: the buffers of one column while a parser fills it by row
// index, column by column, for a block of rows at a time.
//
// Unlike ColumnBuilder, values are written in place (no append, no per-value
// validity work: the bitmap starts all-valid and only nulls touch it), and a
// block can be taken back with Truncate() after some of its rows turned out
// malformed. String columns are written in row order.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>

#include "kiln/core/bitmap.h"
#include "kiln/core/buffer.h"
#include "kiln/core/column.h"
#include "kiln/core/data_type.h"

namespace kiln {

class ColumnFiller {
 public:
  // REQUIRES: type is fixed-width or string/binary.
  explicit ColumnFiller(DataType type);

  ColumnFiller(const ColumnFiller&) = delete;
  ColumnFiller& operator=(const ColumnFiller&) = delete;

  const DataType& type() const { return type_; }

  // Makes rows [0, rows) writable, growing geometrically.
  void Reserve(int64_t rows);

  // Row 0 of the values. REQUIRES: fixed-width; sizeof(T) == byte width.
  template <typename T> T* values() { return values_->mutable_as<T>(); }

  // Marks `row` null; a fixed-width value slot is left for the caller.
  // REQUIRES: row < reserved rows.
  void SetNull(int64_t row) {
    if (validity_ == nullptr) AllocateValidity();
    bitmap::Clear(validity_->data(), row);
    if (row >= null_high_water_) null_high_water_ = row + 1;
  }

  // String columns: sets the value of `row`, which must be the row after the
  // last one set (or 0). REQUIRES: is_binary_like; row < reserved rows.
  void SetString(int64_t row, const char* data, size_t length) {
    int64_t* offsets = offsets_->mutable_as<int64_t>();
    size_t at = static_cast<size_t>(offsets[row]);
    if (at + length > values_->size()) values_->Resize(std::max(at + length, 2 * values_->size()));
    std::memcpy(values_->data() + at, data, length);
    offsets[row + 1] = static_cast<int64_t>(at + length);
  }
  void SetNullString(int64_t row) {
    int64_t* offsets = offsets_->mutable_as<int64_t>();
    offsets[row + 1] = offsets[row];
    SetNull(row);
  }

  // Takes back rows [rows, ...): they become writable and valid again.
  void Truncate(int64_t rows);

  // The first `rows` rows as a Column; the filler must not be used after.
  std::shared_ptr<Column> Finish(int64_t rows);

 private:
  void AllocateValidity();

  DataType type_;                     // What the column holds.
  int64_t capacity_ = 0;              // Rows reserved.
  std::shared_ptr<Buffer> values_;    // Fixed-width values, or string bytes (size() = bytes reserved).
  std::shared_ptr<Buffer> offsets_;   // String offsets, capacity_ + 1 entries.
  std::shared_ptr<Buffer> validity_;  // Null until the first null; bits past the nulls stay set.
  int64_t null_high_water_ = 0;       // No null at or after this row.
};

}  // namespace kiln
