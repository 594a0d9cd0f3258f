#include "kiln/prep/stage_plan.h"

#include <algorithm>

#include "kiln/core/logging.h"
#include "kiln/prep/row_id.h"
#include "kiln/prep/sort.h"
#include "kiln/prep/split.h"

namespace kiln::prep {

namespace {

// Applies a stage's sequential steps to the sorted stream, in order.
class SequentialStepsReader : public BatchReader {
 public:
  SequentialStepsReader(std::unique_ptr<BatchReader> input, const Stage& stage) : input_(std::move(input)) {
    for (const auto& step : stage.sequential) runs_.push_back(step->NewRun());
    schema_ = stage.steps.input_schema();
  }

  const SchemaPtr& schema() const override { return schema_; }
  ReadReport report() const override { return input_->report(); }

  Status Next(RecordBatchPtr* batch) override {
    Status status = input_->Next(batch);
    if (!status.ok() || *batch == nullptr) return status;
    for (auto& run : runs_) {
      auto next = run->Next(*batch);
      if (!next.ok()) return next.status();
      *batch = std::move(*next);
    }
    return Status::OK();
  }

 private:
  std::unique_ptr<BatchReader> input_;               // The sorted stream.
  std::vector<std::unique_ptr<SequentialRun>> runs_;  // One per sequential step.
  SchemaPtr schema_;                                 // After the sequential steps.
};

// True when a stream sorted by `barrier` is in the order `step` needs: by
// some of its partition columns, then its time column ascending.
bool OrderedFor(const BarrierOperator* barrier, const SequentialOperator& step) {
  if (barrier == nullptr) return false;
  std::vector<SortKey> keys = barrier->sort_keys();
  if (keys.empty() || keys.back().column != step.time_column() || keys.back().descending) return false;
  const std::vector<std::string>& partition = step.partition_columns();
  return std::all_of(keys.begin(), keys.end() - 1, [&](const SortKey& key) {
    return std::find(partition.begin(), partition.end(), key.column) != partition.end();
  });
}

// Builds the plan step by step; per-batch steps wait in the current stage's
// Pipeline until a barrier (or the end) closes it.
class Planner {
 public:
  explicit Planner(SchemaPtr input) : schema_(std::move(input)) { plan_.stages.emplace_back(); }

  Status Add(const Pipeline& pipeline, int index) {
    std::shared_ptr<Operator> step = pipeline.shared_step(index);
    std::string name = StepName(pipeline, index);
    if (auto barrier = std::dynamic_pointer_cast<BarrierOperator>(step)) return AddBarrier(barrier, name);
    if (auto sequential = std::dynamic_pointer_cast<SequentialOperator>(step)) return AddSequential(sequential, name);
    if (auto split = std::dynamic_pointer_cast<Split>(step)) {
      if (index + 1 != pipeline.num_steps()) return Status::InvalidArgument(name + ": split must be the last step");
      split_ = split.get();
    }
    plan_.stages.back().steps.Add(step, pipeline.step_number(index));
    return Status::OK();
  }

  Result<StagePlan> Finish() {
    Status status = CloseStage();
    if (!status.ok()) return status;
    if (split_ != nullptr) plan_.split_names = split_->split_names();
    std::vector<Field> fields;
    for (const Field& field : schema_->fields()) {
      if (field.name != kSplitColumn) fields.push_back(field);
    }
    plan_.output_schema = std::make_shared<Schema>(std::move(fields));
    return std::move(plan_);
  }

 private:
  // Binds the current stage's per-batch steps; schema_ becomes their output.
  Status CloseStage() {
    Pipeline& steps = plan_.stages.back().steps;
    Status status = steps.Bind(schema_);
    if (!status.ok()) return status;
    schema_ = steps.output_schema();
    return Status::OK();
  }

  Status AddBarrier(std::shared_ptr<BarrierOperator> barrier, const std::string& name) {
    Status status = CloseStage();
    if (!status.ok()) return status;
    auto bound = barrier->Bind(schema_);
    if (!bound.ok()) return bound.status().WithContext(name);
    plan_.stages.emplace_back();
    plan_.stages.back().barrier = std::move(barrier);
    return Status::OK();
  }

  Status AddSequential(std::shared_ptr<SequentialOperator> step, const std::string& name) {
    Stage* stage = &plan_.stages.back();
    // The step must see the sorted stream directly: no per-batch step between.
    bool ordered = stage->steps.num_steps() == 0 && stage->barrier != nullptr && OrderedFor(stage->barrier.get(), *step);
    if (!ordered) {
      // Bind first so that the time column is known.
      auto probe = step->Bind(schema_);
      if (!probe.ok()) return probe.status().WithContext(name);
      LogInfo(name + ": the stream is not in '" + step->time_column() + "' order; sorting by it first");
      Status status = AddBarrier(std::make_shared<Sort>(SortOptions{{SortKey{step->time_column(), false}}}), name);
      if (!status.ok()) return status;
      stage = &plan_.stages.back();
    }
    auto bound = step->Bind(schema_);
    if (!bound.ok()) return bound.status().WithContext(name);
    schema_ = std::move(*bound);
    stage->sequential.push_back(std::move(step));
    return Status::OK();
  }

  StagePlan plan_;                  // Being built.
  SchemaPtr schema_;                // The stream's schema at the current point.
  const Split* split_ = nullptr;    // The last step, when it is a Split.
};

}  // namespace

Result<StagePlan> PlanStages(const Pipeline& pipeline, SchemaPtr input) {
  Planner planner(std::move(input));
  for (int i = 0; i < pipeline.num_steps(); ++i) {
    Status status = planner.Add(pipeline, i);
    if (!status.ok()) return status;
  }
  return planner.Finish();
}

Result<std::unique_ptr<BatchReader>> OpenStageInput(const ExternalSorter& sorted, const Stage& stage) {
  auto reader = sorted.OpenSorted();
  if (!reader.ok()) return reader.status();
  if (stage.sequential.empty()) return reader;
  return std::unique_ptr<BatchReader>(std::make_unique<SequentialStepsReader>(std::move(*reader), stage));
}

}  // namespace kiln::prep
