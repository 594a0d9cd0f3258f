// ColumnBuilder: appends values of one DataType and produces a Column.
//
// Appends are inline and amortized O(1). The validity bitmap is allocated on
// the first null, so columns without nulls carry none. For lists, append the
// elements to child() and then call AppendList() to close the row.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "kiln/core/bitmap.h"
#include "kiln/core/buffer.h"
#include "kiln/core/column.h"
#include "kiln/core/data_type.h"

namespace kiln {

class ColumnBuilder {
 public:
  explicit ColumnBuilder(DataType type);

  ColumnBuilder(const ColumnBuilder&) = delete;
  ColumnBuilder& operator=(const ColumnBuilder&) = delete;

  const DataType& type() const { return type_; }
  int64_t length() const { return length_; }

  // Makes room for `rows` more rows without reallocation (and `bytes` more
  // string bytes for string and binary columns).
  void Reserve(int64_t rows, int64_t bytes = 0);

  // REQUIRES: type() is fixed-width and sizeof(T) == type().byte_width().
  template <typename T>
  void Append(T value) {
    size_t at = values_->size();
    values_->Resize(at + sizeof(T));
    std::memcpy(values_->data() + at, &value, sizeof(T));
    MarkValid();
  }

  // REQUIRES: type().is_binary_like()
  void AppendString(std::string_view value) {
    values_->Append(value.data(), value.size());
    AppendOffset(static_cast<int64_t>(values_->size()));
    MarkValid();
  }

  // Closes a list row holding the child values appended since the last row.
  // REQUIRES: type().is_list()
  void AppendList() {
    AppendOffset(child_->length());
    MarkValid();
  }
  // REQUIRES: type().is_list()
  ColumnBuilder& child() { return *child_; }

  void AppendNull();

  // Appends row `row` of `column`, which must have this builder's type.
  void AppendFrom(const Column& column, int64_t row);

  // Drops the rows after the first `length`, e.g. a row that failed halfway.
  // REQUIRES: length <= this->length()
  void Truncate(int64_t length);

  // Returns the built column and leaves the builder empty, ready for reuse.
  std::shared_ptr<Column> Finish();

 private:
  void MarkValid() {
    if (validity_) {
      EnsureValidityCapacity();
      bitmap::Set(validity_->data(), length_);
    }
    ++length_;
  }
  void AppendOffset(int64_t offset) { offsets_->Append(&offset, sizeof(offset)); }
  void EnsureValidityCapacity();
  void Reset();

  DataType type_;                        // What every appended value is.
  int64_t length_ = 0;                   // Rows appended so far.
  std::shared_ptr<Buffer> validity_;     // Null until the first null.
  std::shared_ptr<Buffer> values_;       // Fixed-width values or string bytes.
  std::shared_ptr<Buffer> offsets_;      // String and list offsets; starts with 0.
  std::unique_ptr<ColumnBuilder> child_; // List element builder.
};

}  // namespace kiln
