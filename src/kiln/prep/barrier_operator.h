// BarrierOperator: a step that reorders the whole stream (Sort, Shuffle).
//
// A barrier cannot work batch by batch: the planner (stage_plan.h) ends a
// stage before it, streams that stage's output into an ExternalSorter keyed
// by AppendOrderKeys(), and the next stage reads the rows in key order. Keys end
// with the row's position in the stream the barrier reads, so the order is
// total and does not depend on how the stream was cut into batches.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/column_builder.h"
#include "kiln/prep/operator.h"
#include "kiln/prep/order_key.h"

namespace kiln::prep {

class BarrierOperator : public Operator {
 public:
  // Appends the order keys (order_key.h) of the rows of `batch`, whose first
  // row is row `first_position` of the stream the barrier reads, to the
  // binary column `keys`. REQUIRES: Bind() succeeded.
  virtual Status AppendOrderKeys(const RecordBatch& batch, int64_t first_position, ColumnBuilder* keys) const = 0;
  // Bytes of rows the sorter buffers before it sorts them and spills a run.
  virtual int64_t memory_limit() const = 0;
  // The key columns when the barrier sorts by columns (planning checks
  // whether a stream is already in time order); empty otherwise.
  virtual std::vector<SortKey> sort_keys() const { return {}; }

  std::vector<std::string> outputs() const override { return {}; }
  // The executor reorders; a batch on its own passes through unchanged.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override { return batch; }
};

}  // namespace kiln::prep
