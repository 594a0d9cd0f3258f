// Held-out metrics of a binary classifier: exact AUC (gen/auc.h), log loss
// and accuracy at 0.5.
#pragma once

#include <cstdint>
#include <span>

namespace kiln::train {

struct EvalMetrics {
  double auc = 0;       // Exact, ties counted one half; NaN with one class only.
  double logloss = 0;   // Mean binary cross-entropy, probabilities clipped to [1e-7, 1 - 1e-7].
  double accuracy = 0;  // Share of rows where (p >= 0.5) == label.
  int64_t rows = 0;     // Rows evaluated.
};

// REQUIRES: probabilities.size() == labels.size(); no probability is NaN.
EvalMetrics ComputeEvalMetrics(std::span<const float> probabilities, std::span<const uint8_t> labels);

}  // namespace kiln::train
