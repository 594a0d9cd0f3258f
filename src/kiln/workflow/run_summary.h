// RunSummary: what a workflow run did, per stage and overall, written as
// RUN_DIR/summary.json and printed as a short table.
//
// Overall figures come from the stages' own outputs: rows and bayes_auc from
// the data's description (gen's FILE.meta.json, or the one beside prep's
// input), auc from evaluate (else train), train samples/s from train's
// metrics.json, predict samples/s from predict's. A figure no stage
// produced is left out.
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "kiln/core/status.h"

namespace kiln::workflow {

enum class StageStatus { kRan, kSkipped, kFailed, kNotRun };

const char* StageStatusName(StageStatus status);

using Figures = std::vector<std::pair<std::string, double>>;

struct StageOutcome {
  std::string name;                           // The stage.
  StageStatus status = StageStatus::kNotRun;  // What happened to it.
  double seconds = 0;                         // Its run time (0 unless it ran).
  Figures figures;                            // Numbers from its figures JSON.
  std::string log_path;                       // RUN_DIR/logs/STAGE.log.
};

struct RunSummary {
  std::string workflow;                // Its name.
  std::string workflow_path;           // The file.
  std::vector<std::string> overrides;  // --set values.
  std::string run_directory;           // Where everything is.
  std::vector<StageOutcome> stages;    // In run order.
  double seconds = 0;                  // The whole run.
  // Overall figures; NaN when no stage produced them.
  double rows = NAN;                   // Rows of the data.
  double auc = NAN;                    // Held-out AUC (evaluate's, else train's).
  double bayes_auc = NAN;              // The data's best possible AUC.
  double train_samples_per_s = NAN;    // Training throughput.
  double predict_samples_per_s = NAN;  // Prediction throughput.
};

// The numbers of a flat JSON object (other members skipped); `path` names
// the text in messages.
Result<Figures> ParseFigures(const std::string& text, const std::string& path);
// The same from a file.
Result<Figures> ReadFigures(const std::string& path);

// Fills the overall figures from the stages' figures.
void ComputeOverallFigures(RunSummary* summary);

std::string SummaryJson(const RunSummary& summary);

// The closing table: rows, AUC against bayes_auc, train and predict samples/s.
std::string SummaryTable(const RunSummary& summary);

}  // namespace kiln::workflow
