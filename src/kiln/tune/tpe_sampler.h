// TpeSampler: multivariate Tree-structured Parzen Estimator.
//
// Completed trials are ranked (by loss; with several objectives by how many
// trials dominate them; infeasible trials last) and split into the best
// gamma(n) = min(ceil(n/10), 25) and the rest; running trials (constant
// liar) and failed ones join the rest. Each group becomes a product-kernel
// density over the unit cube (truncated Gaussians for numeric parameters, a sticky distribution
// for categorical ones, a uniform prior component in both); candidates are
// drawn from the good density and the one with the highest l(x)/g(x) wins.
// The first startup_trials trials are random.
#pragma once

#include "kiln/tune/sampler.h"

namespace kiln::tune {

struct TpeOptions {
  int startup_trials = 10;  // Random trials before the model.
  int candidates = 24;      // Draws from l(x) scored per suggestion.
};

class TpeSampler : public Sampler {
 public:
  explicit TpeSampler(TpeOptions options = {}) : options_(options) {}
  Result<std::vector<double>> Suggest(const SampleContext& context) override;
  std::string name() const override { return "tpe"; }

 private:
  TpeOptions options_;
};

}  // namespace kiln::tune
