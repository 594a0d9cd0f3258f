#include "kiln/prep/pipeline.h"

#include <algorithm>
#include <map>

#include "kiln/prep/row_id.h"

namespace kiln::prep {

std::string StepName(const Pipeline& pipeline, int step) {
  return "step " + std::to_string(pipeline.step_number(step)) + " (" + pipeline.step(step).kind() + ")";
}

Status Pipeline::Bind(SchemaPtr input) {
  input_schema_ = input;
  fit_pass_.assign(steps_.size(), 0);
  ready_pass_.assign(steps_.size(), 1);
  num_fit_passes_ = 0;
  // Per column: the first pass whose stream carries its final values.
  std::map<std::string, int> column_ready;
  needs_row_ids_ = std::any_of(steps_.begin(), steps_.end(), [](const auto& step) { return step->needs_row_ids(); });
  SchemaPtr schema = needs_row_ids_ ? WithRowIdField(*input) : std::move(input);
  for (size_t i = 0; i < steps_.size(); ++i) {
    auto bound = steps_[i]->Bind(schema);
    if (!bound.ok()) return bound.status().WithContext(StepName(*this, static_cast<int>(i)));
    int ready = 1;
    for (const std::string& name : steps_[i]->inputs()) ready = std::max(ready, column_ready[name]);
    ready_pass_[i] = ready;
    int outputs_ready = ready;
    if (steps_[i]->needs_fit()) {
      fit_pass_[i] = ready;
      num_fit_passes_ = std::max(num_fit_passes_, ready);
      outputs_ready = ready + 1;
    }
    // A rename carries its inputs' readiness to the new names.
    for (const std::string& name : steps_[i]->outputs()) column_ready[name] = outputs_ready;
    schema = std::move(*bound);
  }
  output_schema_ = WithoutRowIdField(schema);
  return Status::OK();
}

std::vector<std::unique_ptr<Accumulator>> Pipeline::NewAccumulators(int pass) const {
  std::vector<std::unique_ptr<Accumulator>> accumulators(steps_.size());
  for (size_t i = 0; i < steps_.size(); ++i) {
    if (fit_pass_[i] == pass) accumulators[i] = steps_[i]->NewAccumulator();
  }
  return accumulators;
}

Status Pipeline::Accumulate(const RecordBatchPtr& input, int64_t first_row, int pass,
                            const std::vector<std::unique_ptr<Accumulator>>& accumulators) const {
  int last = -1;
  for (size_t i = 0; i < steps_.size(); ++i) {
    if (fit_pass_[i] == pass) last = static_cast<int>(i);
  }
  RecordBatchPtr batch = needs_row_ids_ ? WithRowIds(*input, first_row) : input;
  for (int i = 0; i <= last; ++i) {
    if (fit_pass_[i] == pass) {
      Status status = accumulators[i]->Update(*batch);
      if (!status.ok()) return status.WithContext(StepName(*this, i));
      continue;
    }
    // Steps not fitted yet, and steps fed by them, cannot run in this pass;
    // nothing fitted in this pass reads what they write.
    bool runnable = fit_pass_[i] != 0 ? fit_pass_[i] < pass : ready_pass_[i] <= pass;
    if (!runnable) continue;
    auto next = steps_[i]->Transform(batch);
    if (!next.ok()) return next.status().WithContext(StepName(*this, i));
    batch = std::move(*next);
  }
  return Status::OK();
}

Status Pipeline::Fit(int pass, const std::vector<std::unique_ptr<Accumulator>>& merged) {
  for (size_t i = 0; i < steps_.size(); ++i) {
    if (fit_pass_[i] != pass) continue;
    Status status = steps_[i]->Fit(*merged[i]);
    if (!status.ok()) return status.WithContext(StepName(*this, static_cast<int>(i)));
  }
  return Status::OK();
}

Result<RecordBatchPtr> Pipeline::Transform(RecordBatchPtr batch, int64_t first_row) const {
  if (needs_row_ids_) batch = WithRowIds(*batch, first_row);
  for (size_t i = 0; i < steps_.size(); ++i) {
    auto next = steps_[i]->Transform(batch);
    if (!next.ok()) return next.status().WithContext(StepName(*this, static_cast<int>(i)));
    batch = std::move(*next);
  }
  return WithoutRowIds(batch);
}

}  // namespace kiln::prep
