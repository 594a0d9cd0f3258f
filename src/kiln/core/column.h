// Column: an immutable, typed sequence of values with a validity mask.
//
// The layout follows Arrow so Parquet pages and tensors can be filled without
// per-value copies:
//   - validity: bitmap, one bit per row; null buffer means "no nulls";
//   - fixed-width types: `values` holds length() values of StorageOf<id>;
//   - string/binary: `offsets` holds length()+1 int64 offsets into `values`;
//   - list: `offsets` holds length()+1 int64 offsets into `child`.
// A column may be a zero-copy slice of its buffers: `offset` is the index of
// its first row within them. Null slots hold unspecified bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "kiln/core/bitmap.h"
#include "kiln/core/buffer.h"
#include "kiln/core/data_type.h"

namespace kiln {

class Column {
 public:
  struct Parts {
    DataType type;
    int64_t length = 0;
    std::shared_ptr<Buffer> validity;  // May be null: all valid.
    std::shared_ptr<Buffer> values;    // Fixed-width values or string bytes.
    std::shared_ptr<Buffer> offsets;   // int64 offsets for string, binary and list.
    std::shared_ptr<Column> child;     // List values.
    int64_t offset = 0;                // First row within the buffers.
  };
  // REQUIRES: the buffers are large enough for `length` rows from `offset`.
  explicit Column(Parts parts);

  const DataType& type() const { return parts_.type; }
  int64_t length() const { return parts_.length; }
  int64_t null_count() const { return null_count_; }
  // The row offset of this slice within its buffers.
  int64_t offset() const { return parts_.offset; }

  bool IsValid(int64_t row) const {
    return parts_.validity == nullptr || bitmap::Get(parts_.validity->data(), parts_.offset + row);
  }
  bool IsNull(int64_t row) const { return !IsValid(row); }

  // Typed pointer to row 0 of a fixed-width column.
  // REQUIRES: T matches type().byte_width().
  template <typename T> const T* data() const { return parts_.values->as<T>() + parts_.offset; }
  template <typename T> T Value(int64_t row) const { return data<T>()[row]; }

  // REQUIRES: type().is_binary_like()
  std::string_view GetString(int64_t row) const {
    const int64_t* offsets = parts_.offsets->as<int64_t>() + parts_.offset;
    return std::string_view(reinterpret_cast<const char*>(parts_.values->data()) + offsets[row],
                            offsets[row + 1] - offsets[row]);
  }

  // REQUIRES: type().is_list(). Elements of row r are child rows
  // [ListBegin(r), ListEnd(r)).
  int64_t ListBegin(int64_t row) const { return parts_.offsets->as<int64_t>()[parts_.offset + row]; }
  int64_t ListEnd(int64_t row) const { return parts_.offsets->as<int64_t>()[parts_.offset + row + 1]; }
  const Column& child() const { return *parts_.child; }

  // A view of rows [offset, offset + length) sharing this column's buffers.
  // REQUIRES: offset + length <= this->length()
  std::shared_ptr<Column> Slice(int64_t offset, int64_t length) const;

  // Raw access for writers and tensor adapters.
  const Parts& parts() const { return parts_; }
  // Validity bitmap or nullptr; bit (offset() + row) is row `row`.
  const uint8_t* validity_bits() const { return parts_.validity ? parts_.validity->data() : nullptr; }

 private:
  Parts parts_;         // Type, buffers and the slice window.
  int64_t null_count_;  // Nulls within the slice, counted once at construction.
};

}  // namespace kiln
