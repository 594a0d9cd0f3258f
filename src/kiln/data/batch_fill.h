// Filling a Batch from decoded columns: the typed conversion from a record
// batch's columns (any integer or float type, nulls) to the Batch layout.
// Decode threads use it to stage the rows of one read unit, so the thread
// that assembles training batches only moves rows.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/record_batch.h"
#include "kiln/data/batch.h"
#include "kiln/data/column_mapping.h"

namespace kiln::data {

// Sizes every buffer of *batch for `rows` rows of `mapping` (mask all 1,
// lists empty) and sets its widths.
void ResizeBatch(const BoundMapping& mapping, int64_t rows, Batch* batch);

// Replaces *batch with rows [begin, begin + count) of `columns`, whose
// columns are the mapped ones in MappedColumnNames() order (as a projection
// returns them); `padded` marks them all as padding. Corruption naming
// `where` and the row for a null label.
// REQUIRES: begin + count <= columns.num_rows(); types as BindMapping checked.
Status FillBatch(const RecordBatch& columns, const BoundMapping& mapping, int64_t begin, int64_t count, bool padded,
                 const std::string& where, Batch* batch);

}  // namespace kiln::data
