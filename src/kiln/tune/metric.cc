#include "kiln/tune/metric.h"

#include <cmath>

namespace kiln::tune {

std::vector<size_t> ObjectiveIndices(const std::vector<MetricSpec>& metrics) {
  std::vector<size_t> indices;
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!metrics[i].constraint) indices.push_back(i);
  }
  return indices;
}

bool MeetsThreshold(const MetricSpec& metric, double value) {
  if (std::isnan(value)) return false;
  if (!metric.threshold) return true;
  return Loss(metric, value) <= Loss(metric, *metric.threshold);
}

bool MeetsAllThresholds(const std::vector<MetricSpec>& metrics, const std::vector<double>& values) {
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!MeetsThreshold(metrics[i], values[i])) return false;
  }
  return true;
}

}  // namespace kiln::tune
