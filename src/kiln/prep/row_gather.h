// GatherRows: builds a batch from chosen rows of other batches, in the order
// given; how sorted runs are cut and merged and how Split routes rows.
#pragma once

#include <cstdint>
#include <vector>

#include "kiln/core/record_batch.h"

namespace kiln::prep {

struct RowRef {
  int32_t batch = 0;  // Index into the batches given.
  int64_t row = 0;    // Row within that batch.
};

// A batch of `schema` holding the given rows. Column i of the result comes
// from column i of the source batches.
// REQUIRES: every source batch has at least schema->num_fields() columns
// whose types match the schema's.
RecordBatchPtr GatherRows(const SchemaPtr& schema, const std::vector<const RecordBatch*>& batches,
                          const std::vector<RowRef>& rows);

// Bytes the rows of `batch` occupy (values, offsets, validity, list children),
// for memory budgets.
int64_t BatchBytes(const RecordBatch& batch);

}  // namespace kiln::prep
