// Row ids: the index of each input row in the whole input (0-based, input
// order), carried through a pipeline as a hidden int64 column.
//
// Operators that need a per-row identity that does not depend on how the
// input was cut into batches, threads or ranks (k-fold assignment, seeded
// sampling, random splits) declare Operator::needs_row_ids(); the pipeline
// then appends the column to every input batch and removes it from its
// output. Because it is a column, it stays right after steps that drop or
// add rows. Column selections never match it, and Select keeps it.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"

namespace kiln::prep {

inline constexpr char kRowIdColumn[] = "__row_id";

// `schema` with the row-id field appended.
SchemaPtr WithRowIdField(const Schema& schema);
// `schema` without the row-id field (the same pointer when it has none).
SchemaPtr WithoutRowIdField(const SchemaPtr& schema);

// `batch` with a row-id column numbering its rows first_row, first_row + 1, ...
RecordBatchPtr WithRowIds(const RecordBatch& batch, int64_t first_row);
// `batch` without its row-id column (the same batch when it has none).
RecordBatchPtr WithoutRowIds(const RecordBatchPtr& batch);

// The row ids of `batch`, or an Internal error naming `op_kind` when the
// pipeline did not provide them (the operator forgot needs_row_ids()).
Result<const int64_t*> RowIds(const RecordBatch& batch, const char* op_kind);

}  // namespace kiln::prep
