// StagePlan: a pipeline cut into stages at the steps that need the whole
// stream in some order.
//
// Most steps work batch by batch. A barrier (Sort, Shuffle;
// barrier_operator.h) reorders the whole stream, and a sequential step
// (DifferenceLag, CollapseByHist; sequential_operator.h) needs the stream in
// time order and carries state across batches. The plan is a list of
// stages; stage k > 0 starts with the barrier that reorders the previous
// stage's output, then its sequential steps (run in stream order on the
// reading thread), then per-batch steps, fitted in passes and transformed
// on the pool as a Pipeline (pipeline.h):
//
//   input -> [stage 1 steps] -> sort/shuffle runs -> merge -> [sequential
//   steps, stage 2 steps] -> ... -> [last stage steps] -> dataset
//
// A sequential step that is not right after a Sort by (some of its
// partition columns, then) its time column ascending gets such a Sort
// inserted before it (logged). A Split (split.h) must be the last step.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/prep/barrier_operator.h"
#include "kiln/prep/external_sorter.h"
#include "kiln/prep/pipeline.h"
#include "kiln/prep/sequential_operator.h"

namespace kiln::prep {

struct Stage {
  std::shared_ptr<BarrierOperator> barrier;                     // Reorders the stream first; null for stage 1.
  std::vector<std::shared_ptr<SequentialOperator>> sequential;  // In stream order, after the barrier.
  Pipeline steps;                                               // Per-batch steps, bound.
};

struct StagePlan {
  std::vector<Stage> stages;             // At least one.
  std::vector<std::string> split_names;  // Set when the last step is a Split.
  SchemaPtr output_schema;               // Of the dataset(s): no row-id or split column.
};

// Binds every step of `pipeline` (which keeps owning them) and plans the
// stages. Errors name the step.
Result<StagePlan> PlanStages(const Pipeline& pipeline, SchemaPtr input);

// Stage `stage`'s input: the sorted stream of the barrier before it, with
// the stage's sequential steps applied in order, each with fresh state.
// REQUIRES: sorted->Finish() succeeded; both outlive the reader.
Result<std::unique_ptr<BatchReader>> OpenStageInput(const ExternalSorter& sorted, const Stage& stage);

}  // namespace kiln::prep
