// Metrics, SigOpt-style: each trial reports named values; each metric is
// minimized or maximized, may carry a threshold ("only results better than
// this count") and may be a constraint instead of an objective.
//
// Samplers and reports work on losses: the objective values turned so that
// smaller is better (maximized metrics are negated).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kiln::tune {

enum class Goal { kMinimize, kMaximize };

struct MetricSpec {
  std::string name;
  Goal goal = Goal::kMinimize;
  std::optional<double> threshold;  // Objective: only better values count; constraint: must hold.
  bool constraint = false;          // A constraint metric is not optimized, only required to meet its threshold.
};

// The metrics that are optimized (not constraints), in declaration order.
std::vector<size_t> ObjectiveIndices(const std::vector<MetricSpec>& metrics);

// Smaller-is-better form of a value of `metric`.
inline double Loss(const MetricSpec& metric, double value) { return metric.goal == Goal::kMaximize ? -value : value; }

// True when `value` meets the metric's threshold (always, without one).
bool MeetsThreshold(const MetricSpec& metric, double value);

// True when every metric meets its threshold for `values` (one per metric).
bool MeetsAllThresholds(const std::vector<MetricSpec>& metrics, const std::vector<double>& values);

}  // namespace kiln::tune
