// RunEvaluation: `kiln evaluate MODEL --in DATASET --eval-fraction F` as a
// library call. A separate pass over a saved model: it reloads the weights
// from MODEL (not the trainer's in-memory model) and scores the last
// `eval_fraction` of the dataset's rows in file order, the same rows
// `kiln train --eval-fraction F` held out, with exact AUC, log loss and
// accuracy (eval_metrics.h).
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/status.h"
#include "kiln/train/eval_metrics.h"
#include "kiln/train/predictor.h"

namespace kiln::train {

struct EvaluateOptions {
  std::string model;                    // A saved model directory (RUN_DIR/model).
  std::string input;                    // Prepared dataset with labels: Parquet file/directory or DLRM binary.
  double eval_fraction = 1.0;           // The last share of the rows scored; 1: all of them.
  std::string precision = "fp32";       // fp32 or bf16 (falls back without CPU support).
  int64_t batch_rows = kInferenceRows;  // Rows per forward pass (predictor.h).
  int threads = 0;                      // Intra-op threads; 0: the cores.
};

struct EvaluateSummary {
  EvalMetrics metrics;       // Over the scored rows.
  int64_t first_row = 0;     // The first scored row of the dataset.
  double seconds = 0;        // Reading and inference.
  double samples_per_s = 0;  // metrics.rows / seconds.
  std::string precision;     // What ran.
};

// Fails on a dataset without labels, an eval_fraction outside (0, 1] or no
// rows to score.
Result<EvaluateSummary> RunEvaluation(const EvaluateOptions& options);

// The summary as one JSON object (auc, logloss, accuracy, rows, first_row,
// seconds, samples_per_s, precision), what `kiln evaluate --out` writes.
std::string EvaluationJson(const EvaluateSummary& summary);

}  // namespace kiln::train
