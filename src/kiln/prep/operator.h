// Operator: one step of a prep pipeline.
//
// An operator is configured from its options struct, bound once to the
// schema it will see, then (when needs_fit()) fitted from merged
// accumulators, and from then on Transform() is a pure, thread-safe function
// of a batch. Operators find their columns by name in each batch, so a fit
// pass may skip steps whose output nothing in that pass reads.
//
// Extension point: a new operator implements this interface, an options
// struct, and one entry in pipeline_yaml.cc; the planner needs nothing else.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"
#include "kiln/prep/accumulator.h"
#include "kiln/prep/fitted_state.h"
#include "kiln/prep/memory_budget.h"

namespace kiln::prep {

class Operator {
 public:
  virtual ~Operator() = default;

  // The YAML name of the operator, e.g. "categorify".
  virtual const char* kind() const = 0;

  // Resolves the column selection against `input` and returns the schema of
  // the operator's output, or why it cannot apply (unknown column, type).
  virtual Result<SchemaPtr> Bind(const SchemaPtr& input) = 0;
  // Columns read, and columns written (new or replaced), by name.
  // REQUIRES: Bind() succeeded.
  virtual std::vector<std::string> inputs() const = 0;
  virtual std::vector<std::string> outputs() const = 0;

  // True when the operator reads the hidden row-id column (row_id.h), in
  // Update() or Transform(); the pipeline then provides it.
  virtual bool needs_row_ids() const { return false; }

  // True when Transform() needs statistics from a fit pass.
  virtual bool needs_fit() const { return false; }
  // A fresh, empty accumulator. REQUIRES: needs_fit() and Bind() succeeded.
  virtual std::unique_ptr<Accumulator> NewAccumulator() const { return nullptr; }
  // Turns the merged statistics into the fitted state.
  // REQUIRES: `merged` came from NewAccumulator().
  virtual Status Fit(const Accumulator& merged) { return Status::OK(); }

  // Applies the operator to one batch. Thread-safe.
  // REQUIRES: Bind() succeeded, and Fit() or LoadState() when needs_fit().
  virtual Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const = 0;

  // True when the step has state to save and restore: fitted steps, and steps
  // that load data of their own at Bind() (a join's dimension table).
  virtual bool has_state() const { return needs_fit(); }
  // `kiln prep apply` only, before Bind(): restores what Bind() itself needs
  // from the state (the dimension table), so that apply never reads the
  // files the fitting run read.
  virtual Status LoadStateBeforeBind(const std::string& prefix, const FittedStateReader& reader) {
    return Status::OK();
  }

  // Bounds what the accumulators and the fitted state may hold (see
  // memory_budget.h). The default ignores it: for operators whose
  // statistics are a few numbers per column. REQUIRES: before NewAccumulator().
  virtual void SetMemoryBudget(const MemoryBudget& budget) {}

  // Writes the fitted state; `prefix` is unique to this step.
  virtual Status SaveState(const std::string& prefix, FittedStateWriter* writer) const { return Status::OK(); }
  // Restores what SaveState() wrote. REQUIRES: Bind() succeeded.
  virtual Status LoadState(const std::string& prefix, const FittedStateReader& reader) { return Status::OK(); }
};

}  // namespace kiln::prep
