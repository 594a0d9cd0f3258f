#include "kiln/tune/pruner.h"

#include <algorithm>
#include <cmath>

namespace kiln::tune {

namespace {

// Smaller is better.
double Directed(Goal goal, double value) { return goal == Goal::kMaximize ? -value : value; }

}  // namespace

double ValueAtStep(const TrialRecord& trial, int64_t step) {
  double value = NAN;
  for (const auto& [reported_step, reported] : trial.intermediate) {
    if (reported_step > step) break;
    value = reported;
  }
  return value;
}

bool MedianPruner::ShouldPrune(const TrialRecord& trial, const std::vector<TrialRecord>& others) const {
  if (trial.intermediate.empty()) return false;
  auto [step, value] = trial.intermediate.back();
  if (step < options_.warmup_steps) return false;
  std::vector<double> peers;
  for (const TrialRecord& other : others) {
    if (other.number == trial.number || other.state == TrialState::kRunning || other.state == TrialState::kFailed) continue;
    double peer = ValueAtStep(other, step);
    if (!std::isnan(peer)) peers.push_back(Directed(goal_, peer));
  }
  if (static_cast<int>(peers.size()) < std::max(1, options_.startup_trials)) return false;
  std::sort(peers.begin(), peers.end());
  size_t half = peers.size() / 2;
  double median = peers.size() % 2 ? peers[half] : 0.5 * (peers[half - 1] + peers[half]);
  return Directed(goal_, value) > median;
}

bool AshaPruner::ShouldPrune(const TrialRecord& trial, const std::vector<TrialRecord>& others) const {
  if (trial.intermediate.empty()) return false;
  int64_t step = trial.intermediate.back().first;
  int64_t previous = trial.intermediate.size() > 1 ? trial.intermediate[trial.intermediate.size() - 2].first : -1;
  // The highest rung this report reaches for the first time, if any.
  int64_t eta = std::max(2, options_.reduction_factor);
  int64_t rung = -1;
  for (int64_t r = std::max<int64_t>(1, options_.min_resource); r <= step; r *= eta) {
    if (r > previous) rung = r;
  }
  if (rung < 0) return false;
  double mine = Directed(goal_, ValueAtStep(trial, rung));
  std::vector<double> reached{mine};
  for (const TrialRecord& other : others) {
    if (other.number == trial.number || other.intermediate.empty() || other.intermediate.back().first < rung) continue;
    double value = ValueAtStep(other, rung);
    if (!std::isnan(value)) reached.push_back(Directed(goal_, value));
  }
  std::sort(reached.begin(), reached.end());
  size_t keep = std::max<size_t>(1, reached.size() / eta);
  return mine > reached[keep - 1];
}

Result<std::unique_ptr<Pruner>> MakePruner(const PrunerOptions& options, Goal goal) {
  if (options.type == "none" || options.type.empty()) return std::unique_ptr<Pruner>();
  if (options.type == "median") return std::unique_ptr<Pruner>(std::make_unique<MedianPruner>(options, goal));
  if (options.type == "asha") return std::unique_ptr<Pruner>(std::make_unique<AshaPruner>(options, goal));
  return Status::InvalidArgument("unknown pruner '" + options.type + "' (known: none, median, asha)");
}

}  // namespace kiln::tune
