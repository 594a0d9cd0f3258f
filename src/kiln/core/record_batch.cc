#include "kiln/core/record_batch.h"

namespace kiln {

RecordBatch::RecordBatch(SchemaPtr schema, std::vector<std::shared_ptr<Column>> columns, int64_t num_rows)
    : schema_(std::move(schema)), columns_(std::move(columns)), num_rows_(num_rows) {}

Result<RecordBatchPtr> RecordBatch::Make(SchemaPtr schema, std::vector<std::shared_ptr<Column>> columns) {
  if (static_cast<int>(columns.size()) != schema->num_fields()) {
    return Status::InvalidArgument("record batch has " + std::to_string(columns.size()) +
                                   " columns but its schema has " + std::to_string(schema->num_fields()));
  }
  int64_t rows = columns.empty() ? 0 : columns[0]->length();
  for (int i = 0; i < schema->num_fields(); ++i) {
    const Field& field = schema->field(i);
    if (columns[i]->type() != field.type) {
      return Status::InvalidArgument("column '" + field.name + "' has type " + columns[i]->type().ToString() +
                                     " but the schema says " + field.type.ToString());
    }
    if (columns[i]->length() != rows) {
      return Status::InvalidArgument("column '" + field.name + "' has " + std::to_string(columns[i]->length()) +
                                     " rows, expected " + std::to_string(rows));
    }
  }
  return std::make_shared<const RecordBatch>(std::move(schema), std::move(columns), rows);
}

RecordBatchPtr RecordBatch::Slice(int64_t offset, int64_t length) const {
  std::vector<std::shared_ptr<Column>> sliced;
  sliced.reserve(columns_.size());
  for (const auto& column : columns_) sliced.push_back(column->Slice(offset, length));
  return std::make_shared<const RecordBatch>(schema_, std::move(sliced), length);
}

}  // namespace kiln
