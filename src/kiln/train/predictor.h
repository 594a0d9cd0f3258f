// RunPrediction: `kiln predict MODEL --in DATASET --out PRED.parquet` as a
// library call. Reads a prepared dataset (the columns the model's
// model.json names) in file order, runs the model in batches (intra-op
// threads for the MLPs, the thread pool for lookups) and writes one row per
// input row: `prediction` (float32 probability) and, when the input has
// it, `label`.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/status.h"

namespace kiln::train {

// Rows per inference forward pass (predict, evaluation). Activations of a
// few MB are reused from the heap pass after pass, where 16 k-row passes
// (32 MB per layer) were mapped and page-faulted in anew every time.
constexpr int64_t kInferenceRows = 4096;

struct PredictOptions {
  std::string model;              // A saved model directory (RUN_DIR/model).
  std::string input;              // Prepared dataset: Parquet file/directory or DLRM binary.
  std::string output;             // Parquet file, written atomically.
  std::string precision = "fp32"; // fp32 or bf16 (falls back without CPU support).
  int64_t batch_rows = kInferenceRows;  // Rows per forward pass.
  int threads = 0;                // Intra-op threads; 0: the cores.
};

struct PredictSummary {
  int64_t rows = 0;              // Predictions written.
  double seconds = 0;            // Reading, inference and writing.
  double samples_per_s = 0;      // rows / seconds.
  std::string precision;         // What ran.
};

Result<PredictSummary> RunPrediction(const PredictOptions& options);

}  // namespace kiln::train
