#include <algorithm>

#include "kiln/tune/basic_samplers.h"
#include "kiln/tune/gp_sampler.h"
#include "kiln/tune/sampler.h"
#include "kiln/tune/tpe_sampler.h"

namespace kiln::tune {

namespace {

// The default: GP-based optimization (Sobol start, then expected
// improvement, or expected hypervolume improvement for several objectives),
// which wins at the small budgets studies usually have; past
// kLargeStudyTrials completed trials a GP suggestion costs O(n^3), so the
// study goes on with TPE.
class DefaultSampler : public Sampler {
 public:
  static constexpr int64_t kLargeStudyTrials = 300;

  Result<std::vector<double>> Suggest(const SampleContext& context) override {
    int64_t completed = std::count_if(context.trials->begin(), context.trials->end(),
                                      [](const TrialRecord& t) { return t.state == TrialState::kComplete; });
    if (completed > kLargeStudyTrials) return tpe_.Suggest(context);
    return gp_.Suggest(context);
  }
  std::string name() const override { return "default"; }

 private:
  GpSampler gp_;    // Up to kLargeStudyTrials completed trials.
  TpeSampler tpe_;  // Beyond.
};

}  // namespace

Result<std::unique_ptr<Sampler>> MakeSampler(const std::string& name) {
  if (name == "random") return std::unique_ptr<Sampler>(std::make_unique<RandomSampler>());
  if (name == "grid") return std::unique_ptr<Sampler>(std::make_unique<GridSampler>());
  if (name == "sobol") return std::unique_ptr<Sampler>(std::make_unique<SobolSampler>());
  if (name == "tpe") return std::unique_ptr<Sampler>(std::make_unique<TpeSampler>());
  if (name == "gp") return std::unique_ptr<Sampler>(std::make_unique<GpSampler>());
  if (name == "default" || name.empty()) return std::unique_ptr<Sampler>(std::make_unique<DefaultSampler>());
  return Status::InvalidArgument("unknown sampler '" + name + "' (known: random, grid, sobol, tpe, gp, default)");
}

}  // namespace kiln::tune
