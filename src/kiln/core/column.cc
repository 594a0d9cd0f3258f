#include "kiln/core/column.h"

namespace kiln {

Column::Column(Parts parts) : parts_(std::move(parts)) {
  null_count_ = parts_.validity == nullptr
                    ? 0
                    : parts_.length - bitmap::CountSet(parts_.validity->data(), parts_.offset, parts_.length);
}

std::shared_ptr<Column> Column::Slice(int64_t offset, int64_t length) const {
  Parts sliced = parts_;
  sliced.offset = parts_.offset + offset;
  sliced.length = length;
  return std::make_shared<Column>(std::move(sliced));
}

}  // namespace kiln
