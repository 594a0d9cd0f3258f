// TakeRows: a batch made of chosen rows of another, in the order given
// (repeats allowed). Operators that drop or duplicate rows (Filter,
// NegativeSample) build their output with it, so every column, the hidden
// row-id column included, follows the rows.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kiln/core/record_batch.h"

namespace kiln::prep {

// Rows `rows` of `column`. REQUIRES: every index is below column.length().
std::shared_ptr<Column> TakeColumn(const Column& column, const std::vector<int64_t>& rows);

// Rows `rows` of every column of `batch`, with the same schema.
// REQUIRES: every index is below batch.num_rows().
RecordBatchPtr TakeRows(const RecordBatch& batch, const std::vector<int64_t>& rows);

}  // namespace kiln::prep
