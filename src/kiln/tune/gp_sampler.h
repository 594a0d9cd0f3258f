// GpSampler: Bayesian optimization on Gaussian processes (Matérn-5/2, ARD).
//
// After a Sobol start it fits one GP per objective and one per constraint
// metric on the completed trials, then picks the point that maximizes
//   one objective:  expected improvement over the best feasible loss,
//   several:        expected hypervolume improvement of the feasible Pareto
//                   front (Monte Carlo over the GP posteriors, with the
//                   thresholds as the reference point where given),
// times the probability that every constraint metric meets its threshold.
// Running trials enter the objective GPs by constant liar (their loss is
// taken to be the best seen), so parallel workers do not pile up; failed
// trials enter with the worst loss seen, so the search moves away from
// points that fail instead of proposing them again.
#pragma once

#include "kiln/tune/acquisition_search.h"
#include "kiln/tune/gaussian_process.h"
#include "kiln/tune/sampler.h"

namespace kiln::tune {

struct GpSamplerOptions {
  int startup_trials = 0;       // Sobol points before the model; 0: automatic (from the dimension and budget).
  int hypervolume_samples = 32; // Posterior draws per candidate for expected hypervolume improvement.
  GaussianProcessOptions process;
  AcquisitionSearchOptions search;
};

class GpSampler : public Sampler {
 public:
  explicit GpSampler(GpSamplerOptions options = {}) : options_(options) {}
  Result<std::vector<double>> Suggest(const SampleContext& context) override;
  std::string name() const override { return "gp"; }

  // The Sobol start used for `context` when startup_trials is automatic.
  static int AutomaticStartup(const SampleContext& context);

 private:
  GpSamplerOptions options_;
};

}  // namespace kiln::tune
