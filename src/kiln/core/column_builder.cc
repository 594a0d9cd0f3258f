#include "kiln/core/column_builder.h"

namespace kiln {

ColumnBuilder::ColumnBuilder(DataType type) : type_(std::move(type)) {
  if (type_.is_list()) child_ = std::make_unique<ColumnBuilder>(type_.value_type());
  Reset();
}

void ColumnBuilder::Reset() {
  length_ = 0;
  validity_.reset();
  values_ = std::make_shared<Buffer>();
  offsets_.reset();
  if (!type_.is_fixed_width()) {
    offsets_ = std::make_shared<Buffer>();
    AppendOffset(0);
  }
}

void ColumnBuilder::Reserve(int64_t rows, int64_t bytes) {
  if (type_.is_fixed_width()) {
    values_->Reserve(values_->size() + rows * type_.byte_width());
  } else {
    offsets_->Reserve(offsets_->size() + rows * sizeof(int64_t));
    if (type_.is_binary_like()) values_->Reserve(values_->size() + bytes);
  }
  if (validity_) validity_->Reserve(bitmap::BytesFor(length_ + rows));
}

void ColumnBuilder::EnsureValidityCapacity() {
  size_t needed = bitmap::BytesFor(length_ + 1);
  if (validity_->size() < needed) {
    size_t old = validity_->size();
    validity_->Resize(needed);
    std::memset(validity_->data() + old, 0, needed - old);
  }
}

void ColumnBuilder::AppendNull() {
  if (!validity_) {
    // All rows so far were valid: materialize their bits.
    validity_ = std::make_shared<Buffer>(bitmap::BytesFor(length_ + 1));
    std::memset(validity_->data(), 0, validity_->size());
    for (int64_t i = 0; i < length_; ++i) bitmap::Set(validity_->data(), i);
  }
  EnsureValidityCapacity();
  bitmap::Clear(validity_->data(), length_);
  if (type_.is_fixed_width()) {
    size_t at = values_->size();
    values_->Resize(at + type_.byte_width());
    std::memset(values_->data() + at, 0, type_.byte_width());
  } else {
    AppendOffset(type_.is_list() ? child_->length() : static_cast<int64_t>(values_->size()));
  }
  ++length_;
}

void ColumnBuilder::AppendFrom(const Column& column, int64_t row) {
  if (column.IsNull(row)) {
    AppendNull();
  } else if (type_.is_binary_like()) {
    AppendString(column.GetString(row));
  } else if (type_.is_list()) {
    for (int64_t i = column.ListBegin(row); i < column.ListEnd(row); ++i) child_->AppendFrom(column.child(), i);
    AppendList();
  } else {
    int width = type_.byte_width();
    const uint8_t* source = column.parts().values->data() + (column.offset() + row) * width;
    values_->Append(source, width);
    MarkValid();
  }
}

void ColumnBuilder::Truncate(int64_t length) {
  if (type_.is_fixed_width()) {
    values_->Resize(length * type_.byte_width());
  } else {
    int64_t end = offsets_->as<int64_t>()[length];
    offsets_->Resize((length + 1) * sizeof(int64_t));
    if (type_.is_list()) {
      child_->Truncate(end);
    } else {
      values_->Resize(end);
    }
  }
  // Stale validity bits past `length` are rewritten by the next appends.
  length_ = length;
}

std::shared_ptr<Column> ColumnBuilder::Finish() {
  Column::Parts parts;
  parts.type = type_;
  parts.length = length_;
  parts.validity = validity_;
  parts.values = values_;
  parts.offsets = offsets_;
  if (child_) parts.child = child_->Finish();
  auto column = std::make_shared<Column>(std::move(parts));
  Reset();
  return column;
}

}  // namespace kiln
