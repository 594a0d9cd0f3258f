#include "kiln/prep/row_id.h"

#include <numeric>

#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

SchemaPtr WithRowIdField(const Schema& schema) {
  std::vector<Field> fields = schema.fields();
  fields.push_back(Field{kRowIdColumn, DataType::Int64()});
  return std::make_shared<Schema>(std::move(fields));
}

SchemaPtr WithoutRowIdField(const SchemaPtr& schema) {
  int index = schema->IndexOf(kRowIdColumn);
  if (index < 0) return schema;
  std::vector<Field> fields = schema->fields();
  fields.erase(fields.begin() + index);
  return std::make_shared<Schema>(std::move(fields));
}

RecordBatchPtr WithRowIds(const RecordBatch& batch, int64_t first_row) {
  int64_t rows = batch.num_rows();
  auto values = std::make_shared<Buffer>(rows * sizeof(int64_t));
  int64_t* ids = values->mutable_as<int64_t>();
  std::iota(ids, ids + rows, first_row);
  std::vector<std::shared_ptr<Column>> columns = batch.columns();
  columns.push_back(MakeFixedColumn(DataType::Int64(), rows, std::move(values), nullptr));
  return std::make_shared<RecordBatch>(WithRowIdField(*batch.schema()), std::move(columns), rows);
}

RecordBatchPtr WithoutRowIds(const RecordBatchPtr& batch) {
  int index = batch->schema()->IndexOf(kRowIdColumn);
  if (index < 0) return batch;
  std::vector<std::shared_ptr<Column>> columns = batch->columns();
  columns.erase(columns.begin() + index);
  return std::make_shared<RecordBatch>(WithoutRowIdField(batch->schema()), std::move(columns), batch->num_rows());
}

Result<const int64_t*> RowIds(const RecordBatch& batch, const char* op_kind) {
  int index = batch.schema()->IndexOf(kRowIdColumn);
  if (index < 0) return Status::Internal(std::string(op_kind) + ": the batch carries no row ids");
  return batch.column(index).data<int64_t>();
}

}  // namespace kiln::prep
