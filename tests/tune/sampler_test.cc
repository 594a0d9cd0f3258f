// Each sampler's contract: points inside the space (bounds, log scales,
// steps, choices, conditions, linear constraints), determinism by seed, and
// for the model-based samplers, progress on a real function.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "kiln/tune/basic_samplers.h"
#include "kiln/tune/gp_sampler.h"
#include "kiln/tune/optimizer.h"
#include "kiln/tune/pareto.h"
#include "kiln/tune/sobol.h"

namespace kiln::tune {
namespace {

ParameterSpec Spec(std::string name, ParameterType type, double low, double high, bool log = false, double step = 0,
                   std::vector<std::string> choices = {}) {
  ParameterSpec p;
  p.name = std::move(name);
  p.type = type;
  p.low = low;
  p.high = high;
  p.log = log;
  p.step = step;
  p.choices = std::move(choices);
  return p;
}

// lr: float log [1e-4, 1]; units: int [8, 64] step 8; opt: {adam, lamb, sgd};
// momentum: float [0.5, 0.99] only for sgd; x, y: float [0, 1] with x + y <= 1.2.
SearchSpace MixedSpace() {
  std::vector<ParameterSpec> parameters(6);
  parameters[0] = Spec("lr", ParameterType::kFloat, 1e-4, 1, true);
  parameters[1] = Spec("units", ParameterType::kInt, 8, 64, false, 8);
  parameters[2] = Spec("opt", ParameterType::kCategorical, 0, 1, false, 0, {"adam", "lamb", "sgd"});
  parameters[3] = Spec("momentum", ParameterType::kFloat, 0.5, 0.99);
  parameters[3].condition = Condition{"opt", {"sgd"}};
  parameters[4] = Spec("x", ParameterType::kFloat, 0, 1);
  parameters[5] = Spec("y", ParameterType::kFloat, 0, 1);
  LinearConstraint constraint{{{"x", 1}, {"y", 1}}, 1.2, "test"};
  auto space = SearchSpace::Make(parameters, {constraint});
  EXPECT_TRUE(space.ok()) << space.status().ToString();
  return *space;
}

double MixedObjective(const std::vector<double>& p) {
  double value = std::pow(std::log10(p[0]) + 2, 2) + std::abs(p[1] - 32) / 8 + (p[2] == 1 ? 0 : 1) +
                 std::pow(p[4] - 0.7, 2) + std::pow(p[5] - 0.4, 2);
  return std::isnan(p[3]) ? value : value + p[3];
}

std::vector<TrialRecord> RunSampler(const std::string& name, uint64_t seed, int trials) {
  std::vector<MetricSpec> metrics(1);
  metrics[0].name = "loss";
  auto sampler = MakeSampler(name);
  EXPECT_TRUE(sampler.ok());
  Optimizer optimizer(MixedSpace(), metrics, std::move(*sampler), {seed, trials});
  for (int t = 0; t < trials; ++t) {
    auto trial = optimizer.Ask();
    EXPECT_TRUE(trial.ok()) << trial.status().ToString();
    if (!trial.ok()) break;
    EXPECT_TRUE(optimizer.Tell(trial->number, {MixedObjective(trial->params)}).ok());
  }
  return optimizer.trials();
}

class SamplerContractTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SamplerContractTest, PointsStayInsideTheSpace) {
  std::vector<TrialRecord> trials = RunSampler(GetParam(), 7, 24);
  ASSERT_EQ(trials.size(), 24u);
  bool saw_sgd = false, saw_other = false;
  for (const TrialRecord& trial : trials) {
    const auto& p = trial.params;
    EXPECT_GE(p[0], 1e-4);
    EXPECT_LE(p[0], 1);
    EXPECT_GE(p[1], 8);
    EXPECT_LE(p[1], 64);
    EXPECT_EQ(std::fmod(p[1] - 8, 8), 0) << p[1];
    EXPECT_TRUE(p[2] == 0 || p[2] == 1 || p[2] == 2) << p[2];
    if (p[2] == 2) {
      saw_sgd = true;
      EXPECT_GE(p[3], 0.5);
      EXPECT_LE(p[3], 0.99);
    } else {
      saw_other = true;
      EXPECT_TRUE(std::isnan(p[3])) << "momentum must be inactive unless opt is sgd";
    }
    EXPECT_LE(p[4] + p[5], 1.2 + 1e-12);
  }
  EXPECT_TRUE(saw_sgd || GetParam() == "grid");
  EXPECT_TRUE(saw_other);
}

TEST_P(SamplerContractTest, DeterministicBySeed) {
  std::vector<TrialRecord> first = RunSampler(GetParam(), 3, 14);
  std::vector<TrialRecord> again = RunSampler(GetParam(), 3, 14);
  std::vector<TrialRecord> other = RunSampler(GetParam(), 4, 14);
  bool differs = false;
  for (size_t i = 0; i < first.size(); ++i) {
    for (size_t k = 0; k < first[i].params.size(); ++k) {
      double a = first[i].params[k], b = again[i].params[k];
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << "trial " << i << " parameter " << k;
    }
    differs = differs || first[i].params[0] != other[i].params[0];
  }
  if (GetParam() != "grid") {
    EXPECT_TRUE(differs) << "another seed should give other points";
  }
}

INSTANTIATE_TEST_SUITE_P(All, SamplerContractTest, ::testing::Values("random", "grid", "sobol", "tpe", "gp", "default"));

TEST(SobolTest, FirstPointsAreStratified) {
  SobolSequence sequence(3, 11);
  // Any 8 consecutive points from 0 put one in each eighth of every axis.
  for (int d = 0; d < 3; ++d) {
    std::vector<int> counts(8, 0);
    for (int i = 0; i < 8; ++i) counts[static_cast<int>(sequence.Point(i)[d] * 8)]++;
    for (int c : counts) EXPECT_EQ(c, 1) << "dimension " << d;
  }
}

TEST(GridSamplerTest, WalksEveryGridPoint) {
  std::vector<ParameterSpec> parameters(2);
  parameters[0] = Spec("a", ParameterType::kFloat, 0, 1);
  parameters[1] = Spec("b", ParameterType::kCategorical, 0, 1, false, 0, {"p", "q"});
  auto space = SearchSpace::Make(parameters, {});
  ASSERT_TRUE(space.ok());
  std::vector<MetricSpec> metrics(1);
  std::vector<TrialRecord> trials;
  GridSampler sampler(GridOptions{3});
  std::set<std::pair<double, double>> seen;
  for (int n = 0; n < 6; ++n) {
    SampleContext context{&*space, &metrics, &trials, 0, n, 6};
    auto point = sampler.Suggest(context);
    ASSERT_TRUE(point.ok());
    seen.insert({(*point)[0], (*point)[1]});
  }
  EXPECT_EQ(seen, (std::set<std::pair<double, double>>{{0, 0}, {0, 1}, {0.5, 0}, {0.5, 1}, {1, 0}, {1, 1}}));
}

double Branin(const std::vector<double>& x) {
  double a = x[1] - 5.1 / (4 * M_PI * M_PI) * x[0] * x[0] + 5 / M_PI * x[0] - 6;
  return a * a + 10 * (1 - 1 / (8 * M_PI)) * std::cos(x[0]) + 10;
}

TEST(GpSamplerTest, FindsBraninMinimum) {
  std::vector<ParameterSpec> parameters(2);
  parameters[0] = Spec("x1", ParameterType::kFloat, -5, 10);
  parameters[1] = Spec("x2", ParameterType::kFloat, 0, 15);
  std::vector<MetricSpec> metrics(1);
  metrics[0].name = "value";
  Optimizer optimizer(*SearchSpace::Make(parameters, {}), metrics, std::make_unique<GpSampler>(), {1, 30});
  double best = INFINITY;
  for (int t = 0; t < 30; ++t) {
    auto trial = optimizer.Ask();
    ASSERT_TRUE(trial.ok());
    double value = Branin(trial->params);
    best = std::min(best, value);
    ASSERT_TRUE(optimizer.Tell(trial->number, {value}).ok());
  }
  EXPECT_LT(best, 0.6);  // Optimum 0.397887; random search needs hundreds of trials for this.
}

TEST(GpSamplerTest, ConstantLiarSpreadsPendingSuggestions) {
  std::vector<ParameterSpec> parameters(1);
  parameters[0] = Spec("x", ParameterType::kFloat, 0, 1);
  std::vector<MetricSpec> metrics(1);
  GpSamplerOptions options;
  options.startup_trials = 4;
  Optimizer optimizer(*SearchSpace::Make(parameters, {}), metrics, std::make_unique<GpSampler>(options), {2, 20});
  for (int t = 0; t < 6; ++t) {
    auto trial = optimizer.Ask();
    ASSERT_TRUE(optimizer.Tell(trial->number, {std::pow(trial->params[0] - 0.3, 2)}).ok());
  }
  auto first = optimizer.Ask();
  auto second = optimizer.Ask();  // The first is still running.
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_GT(std::abs(first->params[0] - second->params[0]), 1e-3);
}

TEST(GpSamplerTest, ConstraintMetricSteersAwayFromInfeasibleRegion) {
  std::vector<ParameterSpec> parameters(1);
  parameters[0] = Spec("x", ParameterType::kFloat, 0, 1);
  std::vector<MetricSpec> metrics(2);
  metrics[0].name = "loss";               // Best at x = 1 ...
  metrics[1].name = "memory";             // ... but memory = x must stay <= 0.5.
  metrics[1].constraint = true;
  metrics[1].threshold = 0.5;
  Optimizer optimizer(*SearchSpace::Make(parameters, {}), metrics, std::make_unique<GpSampler>(), {5, 20});
  int late_infeasible = 0;
  for (int t = 0; t < 20; ++t) {
    auto trial = optimizer.Ask();
    ASSERT_TRUE(trial.ok());
    double x = trial->params[0];
    if (t >= 10 && x > 0.55) ++late_infeasible;
    ASSERT_TRUE(optimizer.Tell(trial->number, {-x, x}).ok());
  }
  EXPECT_LE(late_infeasible, 2);
}

TEST(GpSamplerTest, GrowsTheHypervolumeOfTwoObjectives) {
  // ZDT1 with 3 variables; the true front's hypervolume for reference
  // (1.1, 11) is 11.77, random search stays near 10.
  std::vector<ParameterSpec> parameters;
  for (int i = 0; i < 3; ++i) parameters.push_back(Spec("x" + std::to_string(i), ParameterType::kFloat, 0, 1));
  std::vector<MetricSpec> metrics(2);
  metrics[0].name = "f1";
  metrics[0].threshold = 1.1;
  metrics[1].name = "f2";
  metrics[1].threshold = 11;
  Optimizer optimizer(*SearchSpace::Make(parameters, {}), metrics, std::make_unique<GpSampler>(), {1, 30});
  std::vector<std::vector<double>> results;
  for (int t = 0; t < 30; ++t) {
    auto trial = optimizer.Ask();
    ASSERT_TRUE(trial.ok());
    const auto& x = trial->params;
    double g = 1 + 9 * (x[1] + x[2]) / 2;
    results.push_back({x[0], g * (1 - std::sqrt(x[0] / g))});
    ASSERT_TRUE(optimizer.Tell(trial->number, results.back()).ok());
  }
  EXPECT_GT(Hypervolume(results, {1.1, 11}), 11.3);
}

}  // namespace
}  // namespace kiln::tune
