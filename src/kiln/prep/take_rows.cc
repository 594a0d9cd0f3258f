#include "kiln/prep/take_rows.h"

#include <cstring>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

namespace {

// Fixed-width values move as bytes; validity only when the input has nulls.
std::shared_ptr<Column> TakeFixedWidth(const Column& column, const std::vector<int64_t>& rows) {
  const int width = column.type().byte_width();
  const int64_t length = static_cast<int64_t>(rows.size());
  auto values = std::make_shared<Buffer>(length * width);
  const uint8_t* source = column.parts().values->data() + column.offset() * width;
  uint8_t* out = values->data();
  for (int64_t i = 0; i < length; ++i) std::memcpy(out + i * width, source + rows[i] * width, width);
  std::shared_ptr<Buffer> validity;
  if (column.null_count() > 0) {
    validity = std::make_shared<Buffer>(bitmap::BytesFor(length));
    std::memset(validity->data(), 0, validity->size());
    for (int64_t i = 0; i < length; ++i) {
      if (column.IsValid(rows[i])) bitmap::Set(validity->data(), i);
    }
  }
  return MakeFixedColumn(column.type(), length, std::move(values), std::move(validity));
}

}  // namespace

std::shared_ptr<Column> TakeColumn(const Column& column, const std::vector<int64_t>& rows) {
  if (column.type().is_fixed_width()) return TakeFixedWidth(column, rows);
  ColumnBuilder builder(column.type());
  builder.Reserve(static_cast<int64_t>(rows.size()));
  for (int64_t row : rows) builder.AppendFrom(column, row);
  return builder.Finish();
}

RecordBatchPtr TakeRows(const RecordBatch& batch, const std::vector<int64_t>& rows) {
  std::vector<std::shared_ptr<Column>> columns;
  for (int i = 0; i < batch.num_columns(); ++i) columns.push_back(TakeColumn(batch.column(i), rows));
  return std::make_shared<RecordBatch>(batch.schema(), std::move(columns), static_cast<int64_t>(rows.size()));
}

}  // namespace kiln::prep
