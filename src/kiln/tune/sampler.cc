#include "kiln/tune/sampler.h"

#include <algorithm>

#include "kiln/tune/basic_samplers.h"
#include "kiln/tune/gp_sampler.h"
#include "kiln/tune/tpe_sampler.h"

namespace kiln::tune {

std::mt19937_64 SuggestionRng(const SampleContext& context, uint64_t salt) {
  std::seed_seq sequence{static_cast<uint32_t>(context.seed), static_cast<uint32_t>(context.seed >> 32),
                         static_cast<uint32_t>(context.trial_number), static_cast<uint32_t>(salt)};
  return std::mt19937_64(sequence);
}

Result<std::vector<double>> RandomFeasiblePoint(const SearchSpace& space, std::mt19937_64* rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<double> unit(space.size());
  for (int attempt = 0; attempt < 10000; ++attempt) {
    for (double& u : unit) u = uniform(*rng);
    std::vector<double> point = space.FromUnit(unit);
    if (space.Feasible(point)) return point;
  }
  std::string where = space.constraints().empty() ? "" : " (" + space.constraints()[0].location + ")";
  return Status::InvalidArgument("no feasible point in 10000 random draws: are the linear constraints satisfiable?" +
                                 where);
}

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
