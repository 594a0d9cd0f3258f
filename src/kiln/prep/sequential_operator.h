// SequentialOperator: a step that must see the stream in time order and
// carries per-key state from one batch to the next (DifferenceLag,
// CollapseByHist).
//
// Such a step cannot run per batch on the pool. The planner (stage_plan.h)
// puts it at the start of a stage, right after a Sort whose keys are some
// of its partition columns followed by its time column ascending (inserting
// that Sort when the pipeline has none), and the stage runs it on the
// reading thread, in stream order, through a fresh SequentialRun per pass.
// Memory is the per-key state: each operator says how much in its header.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiln/prep/operator.h"

namespace kiln::prep {

// One pass over the stream: the state of every key seen so far.
class SequentialRun {
 public:
  virtual ~SequentialRun() = default;
  // Transforms the next batch of the stream and updates the state.
  virtual Result<RecordBatchPtr> Next(const RecordBatchPtr& batch) = 0;
};

class SequentialOperator : public Operator {
 public:
  // The column the stream must be ascending by (within each partition).
  // REQUIRES: Bind() succeeded (for this and the next).
  virtual const std::string& time_column() const = 0;
  // The key columns; rows with equal keys share state. May be empty.
  virtual const std::vector<std::string>& partition_columns() const = 0;
  // Fresh state for one pass over the stream.
  virtual std::unique_ptr<SequentialRun> NewRun() const = 0;

  // Never called: the stage runs NewRun() instead.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override {
    return Status::Internal(std::string(kind()) + " runs in stream order, not per batch");
  }
};

// The partition columns of `batch`, by name, or a NotFound naming `op_kind`.
Result<std::vector<const Column*>> FindPartitionColumns(const RecordBatch& batch,
                                                        const std::vector<std::string>& names, const char* op_kind);
// The state key of `row`: the order-key encoding of its partition values
// (nulls are a key of their own).
std::string PartitionKeyOf(const std::vector<const Column*>& columns, int64_t row);
// Checks at Bind() time that the partition and time columns exist and can be
// keys (order_key.h), naming `op_kind`.
Status CheckKeyColumns(const Schema& schema, const std::vector<std::string>& partition, const std::string& time,
                       const char* op_kind);

}  // namespace kiln::prep
