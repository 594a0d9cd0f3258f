#include "kiln/prep/row_gather.h"

#include "kiln/core/column_builder.h"

namespace kiln::prep {

namespace {

int64_t ColumnBytes(const Column& column, int64_t begin, int64_t end) {
  int64_t rows = end - begin;
  int64_t bytes = column.null_count() > 0 ? (rows + 7) / 8 : 0;
  const DataType& type = column.type();
  if (type.is_fixed_width()) return bytes + rows * type.byte_width();
  bytes += (rows + 1) * static_cast<int64_t>(sizeof(int64_t));
  const int64_t* offsets = column.parts().offsets->as<int64_t>() + column.offset() + begin;
  if (type.is_binary_like()) return bytes + offsets[rows] - offsets[0];
  return bytes + (rows == 0 ? 0 : ColumnBytes(column.child(), offsets[0], offsets[rows]));
}

}  // namespace

RecordBatchPtr GatherRows(const SchemaPtr& schema, const std::vector<const RecordBatch*>& batches,
                          const std::vector<RowRef>& rows) {
  std::vector<std::shared_ptr<Column>> columns;
  for (int c = 0; c < schema->num_fields(); ++c) {
    ColumnBuilder builder(schema->field(c).type);
    builder.Reserve(static_cast<int64_t>(rows.size()));
    for (const RowRef& ref : rows) builder.AppendFrom(batches[ref.batch]->column(c), ref.row);
    columns.push_back(builder.Finish());
  }
  return std::make_shared<RecordBatch>(schema, std::move(columns), static_cast<int64_t>(rows.size()));
}

int64_t BatchBytes(const RecordBatch& batch) {
  int64_t bytes = 0;
  for (int c = 0; c < batch.num_columns(); ++c) bytes += ColumnBytes(batch.column(c), 0, batch.num_rows());
  return bytes;
}

}  // namespace kiln::prep
