// Table: a schema and an ordered list of record batches (chunks).
//
// Tables are what readers return when asked for everything at once and what
// writers accept; streaming code works batch by batch instead.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kiln/core/record_batch.h"

namespace kiln {

class Table {
 public:
  explicit Table(SchemaPtr schema, std::vector<RecordBatchPtr> batches = {});

  const SchemaPtr& schema() const { return schema_; }
  const std::vector<RecordBatchPtr>& batches() const { return batches_; }
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return schema_->num_fields(); }

  // REQUIRES: batch->schema() equals schema().
  void AddBatch(RecordBatchPtr batch);

  // Rows [offset, offset + length) without copying values; batches that the
  // window cuts are sliced. Clamps the window to the table.
  Table Slice(int64_t offset, int64_t length) const;

  // All rows as one batch; copies only when there are several batches.
  RecordBatchPtr Combine() const;

 private:
  SchemaPtr schema_;                     // Shared by every batch.
  std::vector<RecordBatchPtr> batches_;  // In row order.
  int64_t num_rows_ = 0;                 // Sum over batches_.
};

}  // namespace kiln
