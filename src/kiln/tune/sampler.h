// Sampler: proposes the next point of a study from the trials so far.
//
// A suggestion depends only on the context (seed, trial number, history),
// never on state kept inside the sampler, so several processes sharing a
// study and a resumed study propose exactly what one process would have.
// Running trials are in the history with their parameters and no values;
// model-based samplers treat them by constant liar (each pending point is
// assumed to score like the best value seen), so parallel workers spread out.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/tune/metric.h"
#include "kiln/tune/search_space.h"
#include "kiln/tune/trial.h"

namespace kiln::tune {

struct SampleContext {
  const SearchSpace* space = nullptr;              // Not owned.
  const std::vector<MetricSpec>* metrics = nullptr;  // Not owned.
  const std::vector<TrialRecord>* trials = nullptr;  // All trials so far (any state). Not owned.
  uint64_t seed = 0;                               // The study's seed.
  int64_t trial_number = 0;                        // Number of the trial being suggested.
  int64_t budget = 0;                              // Trials the study will run in all (0: unknown).
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  // A feasible point of context.space. REQUIRES: all context pointers set.
  virtual Result<std::vector<double>> Suggest(const SampleContext& context) = 0;
  virtual std::string name() const = 0;
};

// Named samplers: random, grid, sobol, tpe, gp, default.
Result<std::unique_ptr<Sampler>> MakeSampler(const std::string& name);

// The generator a suggestion draws from: a function of (seed, trial number, salt).
std::mt19937_64 SuggestionRng(const SampleContext& context, uint64_t salt);

// Draws uniform unit points until one maps to a feasible point (up to
// 10000 tries); the error names the constraints when none does.
Result<std::vector<double>> RandomFeasiblePoint(const SearchSpace& space, std::mt19937_64* rng);

}  // namespace kiln::tune
