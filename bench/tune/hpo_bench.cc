// Kiln's side of the tuning benchmark (peer: ../shared/peers/hpo_optuna.py,
// same functions, bounds, budgets and reference point).
//   bench_tune_hpo [--seeds 20] [--trials 60] [--mo-trials 100] [--sampler default] [--only NAME]
// Single objective, minimized: the best value found in the budget, median
// and interquartile range over seeds. Two objectives (ZDT1, ZDT2, 6
// variables): hypervolume of the front after --mo-trials trials, reference
// point (1.1, 11) given as the metrics' thresholds. Runs the library's
// Optimizer in-process; seeds run on two threads.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "kiln/tune/optimizer.h"
#include "kiln/tune/pareto.h"

namespace {

using kiln::tune::MetricSpec;
using Function = std::function<std::vector<double>(const std::vector<double>&)>;

struct Problem {
  std::string name;
  std::vector<std::pair<double, double>> bounds;
  Function function;
  int objectives = 1;
};

double Branin(const std::vector<double>& x) {
  double a = x[1] - 5.1 / (4 * M_PI * M_PI) * x[0] * x[0] + 5 / M_PI * x[0] - 6;
  return a * a + 10 * (1 - 1 / (8 * M_PI)) * std::cos(x[0]) + 10;
}

double Hartmann6(const std::vector<double>& x) {
  static const double a[4][6] = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
                                 {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
  static const double p[4][6] = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
                                 {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
  static const double alpha[4] = {1.0, 1.2, 3.0, 3.2};
  double sum = 0;
  for (int i = 0; i < 4; ++i) {
    double inner = 0;
    for (int j = 0; j < 6; ++j) inner += a[i][j] * std::pow(x[j] - 1e-4 * p[i][j], 2);
    sum += alpha[i] * std::exp(-inner);
  }
  return -sum;
}

double Rosenbrock(const std::vector<double>& x) {
  double sum = 0;
  for (size_t i = 0; i + 1 < x.size(); ++i) sum += 100 * std::pow(x[i + 1] - x[i] * x[i], 2) + std::pow(1 - x[i], 2);
  return sum;
}

double Ackley(const std::vector<double>& x) {
  double squares = 0, cosines = 0, d = static_cast<double>(x.size());
  for (double v : x) {
    squares += v * v;
    cosines += std::cos(2 * M_PI * v);
  }
  return -20 * std::exp(-0.2 * std::sqrt(squares / d)) - std::exp(cosines / d) + 20 + M_E;
}

std::vector<double> Zdt(const std::vector<double>& x, int which) {
  double g = 0;
  for (size_t i = 1; i < x.size(); ++i) g += x[i];
  g = 1 + 9 * g / (x.size() - 1);
  double ratio = x[0] / g;
  return {x[0], which == 1 ? g * (1 - std::sqrt(ratio)) : g * (1 - ratio * ratio)};
}

std::vector<Problem> Problems() {
  auto single = [](double (*f)(const std::vector<double>&)) {
    return [f](const std::vector<double>& x) { return std::vector<double>{f(x)}; };
  };
  return {
      {"branin", {{-5, 10}, {0, 15}}, single(Branin)},
      {"hartmann6", std::vector<std::pair<double, double>>(6, {0, 1}), single(Hartmann6)},
      {"rosenbrock4", std::vector<std::pair<double, double>>(4, {-5, 10}), single(Rosenbrock)},
      {"ackley5", std::vector<std::pair<double, double>>(5, {-32.768, 32.768}), single(Ackley)},
      {"zdt1", std::vector<std::pair<double, double>>(6, {0, 1}), [](const auto& x) { return Zdt(x, 1); }, 2},
      {"zdt2", std::vector<std::pair<double, double>>(6, {0, 1}), [](const auto& x) { return Zdt(x, 2); }, 2},
  };
}

// The best value (one objective) or the front's hypervolume (two) of one seeded run.
double RunOnce(const Problem& problem, const std::string& sampler_name, uint64_t seed, int trials) {
  std::vector<kiln::tune::ParameterSpec> parameters;
  for (size_t i = 0; i < problem.bounds.size(); ++i) {
    kiln::tune::ParameterSpec p;
    p.name = "x" + std::to_string(i);
    p.low = problem.bounds[i].first;
    p.high = problem.bounds[i].second;
    parameters.push_back(p);
  }
  std::vector<MetricSpec> metrics;
  const std::vector<double> reference = {1.1, 11.0};
  for (int k = 0; k < problem.objectives; ++k) {
    MetricSpec metric;
    metric.name = "f" + std::to_string(k + 1);
    if (problem.objectives > 1) metric.threshold = reference[k];
    metrics.push_back(metric);
  }
  auto space = kiln::tune::SearchSpace::Make(parameters, {});
  auto sampler = kiln::tune::MakeSampler(sampler_name);
  if (!space.ok() || !sampler.ok()) {
    std::fprintf(stderr, "setup failed\n");
    std::exit(1);
  }
  kiln::tune::Optimizer optimizer(*space, metrics, std::move(*sampler), {seed, trials});
  std::vector<std::vector<double>> results;
  for (int t = 0; t < trials; ++t) {
    auto trial = optimizer.Ask();
    if (!trial.ok()) {
      std::fprintf(stderr, "%s\n", trial.status().ToString().c_str());
      std::exit(1);
    }
    results.push_back(problem.function(trial->params));
    (void)optimizer.Tell(trial->number, results.back());
  }
  if (problem.objectives == 1) {
    double best = INFINITY;
    for (const auto& r : results) best = std::min(best, r[0]);
    return best;
  }
  return kiln::tune::Hypervolume(results, reference);
}

double Percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  double position = q * (values.size() - 1);
  size_t low = static_cast<size_t>(position);
  size_t high = std::min(low + 1, values.size() - 1);
  return values[low] + (position - low) * (values[high] - values[low]);
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 20, trials = 60, mo_trials = 100;
  std::string sampler = "default", only;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seeds") seeds = std::atoi(argv[i + 1]);
    else if (flag == "--trials") trials = std::atoi(argv[i + 1]);
    else if (flag == "--mo-trials") mo_trials = std::atoi(argv[i + 1]);
    else if (flag == "--sampler") sampler = argv[i + 1];
    else if (flag == "--only") only = argv[i + 1];
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  for (const Problem& problem : Problems()) {
    if (!only.empty() && only.find(problem.name) == std::string::npos) continue;
    int budget = problem.objectives > 1 ? mo_trials : trials;
    std::vector<double> values(seeds);
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int worker = 0; worker < 2; ++worker) {
      threads.emplace_back([&, worker] {
        for (int seed = worker; seed < seeds; seed += 2) values[seed] = RunOnce(problem, sampler, seed, budget);
      });
    }
    for (auto& thread : threads) thread.join();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const char* what = problem.objectives > 1 ? "hypervolume median" : "best median";
    std::printf("%-12s %-7s %s %.5g  IQR [%.5g, %.5g]  (%.1f s for %d seeds)\n", problem.name.c_str(),
                sampler.c_str(), what, Percentile(values, 0.5), Percentile(values, 0.25), Percentile(values, 0.75),
                seconds, seeds);
    std::fflush(stdout);
  }
  return 0;
}
