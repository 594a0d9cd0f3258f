// The model-free samplers: random, Sobol and grid. They ignore the history
// (apart from the trial number), so they are also the start-up phase of the
// model-based samplers.
#pragma once

#include "kiln/tune/sampler.h"

namespace kiln::tune {

// Independent uniform draws in the unit cube (log scales and steps apply).
class RandomSampler : public Sampler {
 public:
  Result<std::vector<double>> Suggest(const SampleContext& context) override;
  std::string name() const override { return "random"; }
};

// Trial n takes point n of a digitally shifted Sobol sequence; parameters
// past SobolSequence::kMaxDimensions are drawn at random. Infeasible points
// are replaced by random feasible ones.
class SobolSampler : public Sampler {
 public:
  Result<std::vector<double>> Suggest(const SampleContext& context) override;
  std::string name() const override { return "sobol"; }
};

struct GridOptions {
  int points_per_axis = 5;  // For continuous floats and discrete parameters with more values; endpoints included.
};

// The Cartesian grid of every parameter's values, walked in order by trial
// number (wrapping around); infeasible grid points are skipped.
class GridSampler : public Sampler {
 public:
  explicit GridSampler(GridOptions options = {}) : options_(options) {}
  Result<std::vector<double>> Suggest(const SampleContext& context) override;
  std::string name() const override { return "grid"; }

 private:
  std::vector<std::vector<double>> AxisUnits(const SearchSpace& space) const;

  GridOptions options_;
};

}  // namespace kiln::tune
