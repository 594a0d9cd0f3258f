#include "kiln/tune/acquisition_search.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kiln/tune/sampler.h"

namespace kiln::tune {

namespace {

// A move from `point`: each active coordinate shifts by N(0, scale) with
// probability about 1/d (at least one coordinate moves); a categorical one
// jumps to a random other choice. Infeasible moves come back empty.
std::vector<double> Neighbour(const SearchSpace& space, const std::vector<double>& point, double scale,
                              std::mt19937_64* rng) {
  std::vector<double> unit = space.ToUnit(point);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, scale);
  size_t n = space.size();
  size_t forced = std::uniform_int_distribution<size_t>(0, n - 1)(*rng);
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(unit[i])) unit[i] = uniform(*rng);  // Becomes meaningful only if its parent switches.
    if (i != forced && uniform(*rng) > 1.5 / n) continue;
    if (space.parameter(i).type == ParameterType::kCategorical) {
      unit[i] = uniform(*rng);
    } else {
      double moved = unit[i] + normal(*rng);
      unit[i] = moved < 0 ? 0 : moved > 1 ? 1 : moved;  // Clip: optima often sit on a bound.
    }
  }
  std::vector<double> moved = space.FromUnit(unit);
  if (!space.Feasible(moved)) return {};
  return moved;
}

size_t ArgMax(const std::vector<double>& scores) {
  return static_cast<size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

}  // namespace

std::vector<double> MaximizeAcquisition(const SearchSpace& space, const Acquisition& acquisition,
                                        const std::vector<std::vector<double>>& incumbents, std::mt19937_64* rng,
                                        const AcquisitionSearchOptions& options) {
  std::vector<std::vector<double>> candidates;
  for (int i = 0; i < options.random_candidates; ++i) {
    auto point = RandomFeasiblePoint(space, rng);
    if (point.ok()) candidates.push_back(std::move(*point));
  }
  const double scales[] = {0.2, 0.05, 0.01};
  for (int i = 0; i < options.perturbations && !incumbents.empty(); ++i) {
    const auto& incumbent = incumbents[i % incumbents.size()];
    auto moved = Neighbour(space, incumbent, scales[i % 3], rng);
    if (!moved.empty()) candidates.push_back(std::move(moved));
  }
  std::vector<double> scores = acquisition(candidates);
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  size_t starts = std::min<size_t>(options.local_starts, order.size());
  std::partial_sort(order.begin(), order.begin() + starts, order.end(),
                    [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  std::vector<double> best = candidates[order[0]];
  double best_score = scores[order[0]];
  for (size_t s = 0; s < starts; ++s) {
    std::vector<double> current = candidates[order[s]];
    double current_score = scores[order[s]];
    double scale = 0.1;
    for (int round = 0; round < options.local_rounds; ++round) {
      std::vector<std::vector<double>> moves;
      for (int k = 0; k < options.neighbours; ++k) {
        auto moved = Neighbour(space, current, scale, rng);
        if (!moved.empty()) moves.push_back(std::move(moved));
      }
      if (moves.empty()) break;
      std::vector<double> move_scores = acquisition(moves);
      size_t top = ArgMax(move_scores);
      if (move_scores[top] > current_score) {
        current = std::move(moves[top]);
        current_score = move_scores[top];
      } else {
        scale *= 0.5;  // No better move at this distance: look closer.
      }
    }
    if (current_score > best_score) {
      best = current;
      best_score = current_score;
    }
  }
  return best;
}

}  // namespace kiln::tune
