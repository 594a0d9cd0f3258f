// Optimizer: an in-memory study driven by ask and tell, for callers that
// evaluate in-process (the benchmarks, tests, an embedding program). The
// SQLite-backed StudyRunner asks the same samplers the same way.
#pragma once

#include <memory>
#include <vector>

#include "kiln/tune/sampler.h"

namespace kiln::tune {

struct OptimizerOptions {
  uint64_t seed = 0;   // Suggestions are a function of the seed and history.
  int64_t budget = 0;  // Trials planned (helps samplers size their start); 0: unknown.
};

class Optimizer {
 public:
  Optimizer(SearchSpace space, std::vector<MetricSpec> metrics, std::unique_ptr<Sampler> sampler,
            OptimizerOptions options = {});

  // Starts a trial at the sampler's next point.
  Result<TrialRecord> Ask();
  // Completes a running trial. REQUIRES: values.size() == metrics().size().
  Status Tell(int64_t number, std::vector<double> values);
  // Marks a running trial failed (it then informs no model).
  Status Fail(int64_t number, std::string reason);

  const SearchSpace& space() const { return space_; }
  const std::vector<MetricSpec>& metrics() const { return metrics_; }
  const std::vector<TrialRecord>& trials() const { return trials_; }

 private:
  Result<TrialRecord*> Running(int64_t number);

  SearchSpace space_;
  std::vector<MetricSpec> metrics_;
  std::unique_ptr<Sampler> sampler_;
  OptimizerOptions options_;
  std::vector<TrialRecord> trials_;  // Indexed by trial number.
};

}  // namespace kiln::tune
