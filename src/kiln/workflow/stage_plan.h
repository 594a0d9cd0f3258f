// Where a run keeps its files, and what one stage of a workflow runs: its
// kiln command line, the earlier stages and outside files it reads, the
// outputs that exist once it succeeded and the JSON its figures come from.
//
//   RUN_DIR/workflow.yaml            the workflow as read, the overrides as closing comments
//   RUN_DIR/logs/STAGE.log           the stage's output (train-check.log: kiln train --check)
//   RUN_DIR/stages/STAGE.json        its fingerprint, written only after it succeeded
//   RUN_DIR/artifacts/STAGE/         its outputs (gen: criteo.tsv; prep: parts + _state;
//                                    train: metrics.json, model/; evaluate: metrics.json;
//                                    predict: predictions.parquet, metrics.json)
//   RUN_DIR/summary.json             per stage and overall figures
#pragma once

#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/workflow/workflow_config.h"

namespace kiln::workflow {

class RunLayout {
 public:
  explicit RunLayout(std::string run_directory) : run_directory_(std::move(run_directory)) {}

  const std::string& run_directory() const { return run_directory_; }
  std::string ArtifactDirectory(const std::string& stage) const { return run_directory_ + "/artifacts/" + stage; }
  std::string LogPath(const std::string& stage) const { return run_directory_ + "/logs/" + stage + ".log"; }
  std::string RecordPath(const std::string& stage) const { return run_directory_ + "/stages/" + stage + ".json"; }
  std::string SummaryPath() const { return run_directory_ + "/summary.json"; }
  std::string WorkflowCopyPath() const { return run_directory_ + "/workflow.yaml"; }

 private:
  std::string run_directory_;  // As given (relative to the current directory or absolute).
};

struct StagePlan {
  std::string name;                      // The stage.
  std::vector<std::string> arguments;    // The kiln command line after the program name.
  std::vector<std::string> upstream;     // Earlier stages whose outputs it reads.
  std::vector<std::string> input_paths;  // Outside files or directories it reads.
  std::vector<std::string> outputs;      // Paths that exist once it succeeded.
  std::string figures_path;              // A JSON object with its figures; "" for none.
};

// REQUIRES: the stages before `stage` have succeeded (evaluate reads the
// training run's config.yaml for its default eval_fraction).
Result<StagePlan> PlanStage(const StageConfig& stage, const RunLayout& layout);

// `train --check ...`: the train stage's options checked by kiln train itself
// before any stage runs.
std::vector<std::string> TrainCheckArguments(const StageConfig& train, const RunLayout& layout);

}  // namespace kiln::workflow
