#include "kiln/io/column_filler.h"

#include <algorithm>

namespace kiln {

ColumnFiller::ColumnFiller(DataType type)
    : type_(std::move(type)), values_(std::make_shared<Buffer>()) {
  if (type_.is_binary_like()) {
    offsets_ = std::make_shared<Buffer>(sizeof(int64_t));
    offsets_->mutable_as<int64_t>()[0] = 0;
    values_->Reserve(64);  // So that data() is never null, even for empty strings.
  }
}

void ColumnFiller::Reserve(int64_t rows) {
  if (rows <= capacity_) return;
  int64_t grown = std::max(rows, capacity_ + capacity_ / 2);
  if (type_.is_binary_like()) {
    offsets_->Resize((grown + 1) * sizeof(int64_t));
  } else {
    values_->Resize(grown * type_.byte_width());
  }
  if (validity_) {
    size_t old = validity_->size();
    validity_->Resize(bitmap::BytesFor(grown));
    std::memset(validity_->data() + old, 0xFF, validity_->size() - old);
  }
  capacity_ = grown;
}

void ColumnFiller::AllocateValidity() {
  validity_ = std::make_shared<Buffer>(bitmap::BytesFor(capacity_));
  std::memset(validity_->data(), 0xFF, validity_->size());
}

void ColumnFiller::Truncate(int64_t rows) {
  if (validity_) {
    for (int64_t row = rows; row < null_high_water_; ++row) bitmap::Set(validity_->data(), row);
  }
  null_high_water_ = std::min(null_high_water_, rows);
}

std::shared_ptr<Column> ColumnFiller::Finish(int64_t rows) {
  Column::Parts parts;
  parts.type = type_;
  parts.length = rows;
  if (null_high_water_ > 0) parts.validity = validity_;
  if (type_.is_binary_like()) {
    values_->Resize(offsets_->as<int64_t>()[rows]);
    offsets_->Resize((rows + 1) * sizeof(int64_t));
  } else {
    values_->Resize(rows * type_.byte_width());
  }
  // A chunk that came out much shorter than reserved would pin the spare
  // memory for as long as the column lives; copy it into a tight buffer.
  auto shrink = [](std::shared_ptr<Buffer>& buffer) {
    if (buffer && buffer->capacity() > 4096 && buffer->size() < buffer->capacity() / 2) {
      buffer = Buffer::CopyOf(buffer->data(), buffer->size());
    }
  };
  shrink(values_);
  shrink(offsets_);
  parts.values = values_;
  parts.offsets = offsets_;
  if (parts.validity) {
    validity_->Resize(bitmap::BytesFor(rows));
    shrink(validity_);
    parts.validity = validity_;
  }
  return std::make_shared<Column>(std::move(parts));
}

}  // namespace kiln
