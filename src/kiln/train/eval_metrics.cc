#include "kiln/train/eval_metrics.h"

#include <algorithm>
#include <cmath>

#include "kiln/gen/auc.h"

namespace kiln::train {

EvalMetrics ComputeEvalMetrics(std::span<const float> probabilities, std::span<const uint8_t> labels) {
  EvalMetrics metrics;
  metrics.rows = static_cast<int64_t>(labels.size());
  if (metrics.rows == 0) return metrics;
  metrics.auc = ExactAuc(probabilities, labels);
  double loss = 0;
  int64_t correct = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const double p = std::clamp(static_cast<double>(probabilities[i]), 1e-7, 1 - 1e-7);
    const bool positive = labels[i] != 0;
    loss -= positive ? std::log(p) : std::log(1 - p);
    correct += (probabilities[i] >= 0.5f) == positive;
  }
  metrics.logloss = loss / static_cast<double>(metrics.rows);
  metrics.accuracy = static_cast<double>(correct) / static_cast<double>(metrics.rows);
  return metrics;
}

}  // namespace kiln::train
