// RecordBatch: a chunk of rows, one Column per schema field, all the same
// length. Batches are the unit that readers yield and operators consume.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kiln/core/column.h"
#include "kiln/core/schema.h"
#include "kiln/core/status.h"

namespace kiln {

class RecordBatch;
using RecordBatchPtr = std::shared_ptr<const RecordBatch>;

class RecordBatch {
 public:
  // REQUIRES: columns match schema's types and all have num_rows rows;
  // use Make() when that is not known to hold.
  RecordBatch(SchemaPtr schema, std::vector<std::shared_ptr<Column>> columns, int64_t num_rows);

  // Checks the columns against the schema and each other.
  static Result<RecordBatchPtr> Make(SchemaPtr schema, std::vector<std::shared_ptr<Column>> columns);

  const SchemaPtr& schema() const { return schema_; }
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const Column& column(int i) const { return *columns_[i]; }
  const std::shared_ptr<Column>& column_ptr(int i) const { return columns_[i]; }
  const std::vector<std::shared_ptr<Column>>& columns() const { return columns_; }

  // Rows [offset, offset + length) without copying.
  // REQUIRES: offset + length <= num_rows()
  RecordBatchPtr Slice(int64_t offset, int64_t length) const;

 private:
  SchemaPtr schema_;                              // Names and types.
  std::vector<std::shared_ptr<Column>> columns_;  // One per field.
  int64_t num_rows_;                              // Rows in every column.
};

}  // namespace kiln
