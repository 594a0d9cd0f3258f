// Pipeline: prep operators in order, bound to an input schema and planned
// into streaming passes.
//
// Planning: a step that needs fitting is fitted in pass 1 + the highest pass
// among the fitted steps that its input columns depend on (through any
// chain of steps), so Log1p -> Normalize fits Normalize in pass 1 on log
// values, while Categorify -> Normalize of the ids needs pass 2. Steps fitted
// in the same pass share one read of the input. After the fit passes, one
// transform pass applies every step.
#pragma once

#include <memory>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

class Pipeline {
 public:
  Pipeline() = default;
  Pipeline(Pipeline&&) = default;
  Pipeline& operator=(Pipeline&&) = default;

  // REQUIRES: Bind() has not been called. `number` names the step in
  // messages ("step <number>"); 0: its position here, from 1. A stage of a
  // larger pipeline (stage_plan.h) shares the steps and keeps their numbers.
  void Add(std::shared_ptr<Operator> step, int number = 0) {
    steps_.push_back(std::move(step));
    step_numbers_.push_back(number > 0 ? number : num_steps());
  }

  // Binds every step to the schema the previous one produces and plans the
  // passes. Errors name the step ("step 3 (normalize): ..."). When a step
  // needs row ids, the steps see the hidden row-id column (row_id.h).
  Status Bind(SchemaPtr input);

  int num_steps() const { return static_cast<int>(steps_.size()); }
  Operator& step(int i) { return *steps_[i]; }
  const Operator& step(int i) const { return *steps_[i]; }
  const std::shared_ptr<Operator>& shared_step(int i) const { return steps_[i]; }
  int step_number(int i) const { return step_numbers_[i]; }
  // REQUIRES: Bind() succeeded.
  const SchemaPtr& input_schema() const { return input_schema_; }
  // What Transform() returns: never with the row-id column.
  const SchemaPtr& output_schema() const { return output_schema_; }
  bool needs_row_ids() const { return needs_row_ids_; }
  // The fit pass (1-based) of step i, or 0 when it needs no fitting.
  int fit_pass(int i) const { return fit_pass_[i]; }
  int num_fit_passes() const { return num_fit_passes_; }

  // Fresh accumulators for the steps fitted in `pass`, indexed by step
  // (nullptr for the others).
  std::vector<std::unique_ptr<Accumulator>> NewAccumulators(int pass) const;
  // Feeds one input batch, whose first row is input row `first_row`, to the
  // steps fitted in `pass`: steps already fitted and stateless steps whose
  // inputs are ready transform it on the way. Thread-safe for distinct
  // `accumulators`.
  Status Accumulate(const RecordBatchPtr& batch, int64_t first_row, int pass,
                    const std::vector<std::unique_ptr<Accumulator>>& accumulators) const;
  // Fits the steps of `pass` from their merged accumulators.
  Status Fit(int pass, const std::vector<std::unique_ptr<Accumulator>>& merged);
  // Applies every step to a batch whose first row is input row `first_row`.
  // REQUIRES: every step is fitted. Thread-safe.
  Result<RecordBatchPtr> Transform(RecordBatchPtr batch, int64_t first_row) const;

 private:
  std::vector<std::shared_ptr<Operator>> steps_;  // In order.
  std::vector<int> step_numbers_;                 // Per step: its number in messages.
  std::vector<int> fit_pass_;                     // Per step: fit pass, or 0.
  std::vector<int> ready_pass_;                   // Per step: first pass whose stream has its inputs right.
  int num_fit_passes_ = 0;                        // Highest fit pass.
  bool needs_row_ids_ = false;                    // Some step reads the row-id column.
  SchemaPtr input_schema_;                        // Given to Bind().
  SchemaPtr output_schema_;                       // Of the last step.
};

// "step 3 (normalize)", for messages.
std::string StepName(const Pipeline& pipeline, int step);

}  // namespace kiln::prep
