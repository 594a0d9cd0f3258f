#include "kiln/core/table.h"

#include <algorithm>

#include "kiln/core/column_builder.h"

namespace kiln {

Table::Table(SchemaPtr schema, std::vector<RecordBatchPtr> batches) : schema_(std::move(schema)) {
  for (auto& batch : batches) AddBatch(std::move(batch));
}

void Table::AddBatch(RecordBatchPtr batch) {
  num_rows_ += batch->num_rows();
  batches_.push_back(std::move(batch));
}

Table Table::Slice(int64_t offset, int64_t length) const {
  Table sliced(schema_);
  offset = std::clamp<int64_t>(offset, 0, num_rows_);
  int64_t end = std::min(num_rows_, offset + std::max<int64_t>(length, 0));
  int64_t batch_start = 0;
  for (const auto& batch : batches_) {
    int64_t batch_end = batch_start + batch->num_rows();
    int64_t from = std::max(offset, batch_start), to = std::min(end, batch_end);
    if (from < to) {
      bool whole = from == batch_start && to == batch_end;
      sliced.AddBatch(whole ? batch : batch->Slice(from - batch_start, to - from));
    }
    batch_start = batch_end;
  }
  return sliced;
}

RecordBatchPtr Table::Combine() const {
  if (batches_.size() == 1) return batches_[0];
  std::vector<std::shared_ptr<Column>> columns;
  for (int c = 0; c < schema_->num_fields(); ++c) {
    ColumnBuilder builder(schema_->field(c).type);
    builder.Reserve(num_rows_);
    for (const auto& batch : batches_) {
      const Column& column = batch->column(c);
      for (int64_t row = 0; row < column.length(); ++row) builder.AppendFrom(column, row);
    }
    columns.push_back(builder.Finish());
  }
  return std::make_shared<const RecordBatch>(schema_, std::move(columns), num_rows_);
}

}  // namespace kiln
