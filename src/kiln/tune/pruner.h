// Pruners stop unpromising trials early from their intermediate reports
// (step, value), where the value follows the first objective's goal.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/tune/metric.h"
#include "kiln/tune/trial.h"

namespace kiln::tune {

struct PrunerOptions {
  std::string type = "none";  // none | median | asha
  int startup_trials = 5;     // median: finished trials needed before pruning.
  int64_t warmup_steps = 0;   // median: steps before a trial can be pruned.
  int64_t min_resource = 1;   // asha: the first rung's step.
  int reduction_factor = 3;   // asha: eta; rungs at min_resource * eta^k keep the best 1/eta.
};

class Pruner {
 public:
  virtual ~Pruner() = default;
  // True when `trial`, whose latest report is its last intermediate entry,
  // should stop. `others` are the study's other trials (any state).
  virtual bool ShouldPrune(const TrialRecord& trial, const std::vector<TrialRecord>& others) const = 0;
};

// Median rule: prune when the latest value is worse than the median of what
// the finished trials reported at that step (or the nearest step before).
class MedianPruner : public Pruner {
 public:
  MedianPruner(PrunerOptions options, Goal goal) : options_(options), goal_(goal) {}
  bool ShouldPrune(const TrialRecord& trial, const std::vector<TrialRecord>& others) const override;

 private:
  PrunerOptions options_;
  Goal goal_;  // Direction of the intermediate values.
};

// Asynchronous successive halving: when a trial reaches rung k (step
// min_resource * eta^k), it goes on only if its value is among the best
// max(1, n / eta) of the n trials that have reached that rung so far.
class AshaPruner : public Pruner {
 public:
  AshaPruner(PrunerOptions options, Goal goal) : options_(options), goal_(goal) {}
  bool ShouldPrune(const TrialRecord& trial, const std::vector<TrialRecord>& others) const override;

 private:
  PrunerOptions options_;
  Goal goal_;  // Direction of the intermediate values.
};

// nullptr for "none"; an error for an unknown type.
Result<std::unique_ptr<Pruner>> MakePruner(const PrunerOptions& options, Goal goal);

// The value a trial reported at the largest step <= `step`; NaN if none.
double ValueAtStep(const TrialRecord& trial, int64_t step);

}  // namespace kiln::tune
