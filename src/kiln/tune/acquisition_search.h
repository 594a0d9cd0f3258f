// Maximizes an acquisition function over a search space: random feasible
// points plus perturbations of the incumbents, then a local search from the
// best few. Moves are made in unit coordinates and mapped back through the
// space, so steps, log scales, categories and conditions hold for every
// candidate; categorical moves jump to another choice, never to a blend.
#pragma once

#include <functional>
#include <random>
#include <vector>

#include "kiln/tune/search_space.h"

namespace kiln::tune {

// Scores a batch of points; higher is better.
using Acquisition = std::function<std::vector<double>(const std::vector<std::vector<double>>& points)>;

struct AcquisitionSearchOptions {
  int random_candidates = 1000;  // Uniform feasible points scored first.
  int perturbations = 300;       // Moves around the incumbents scored first.
  int local_starts = 4;          // Best candidates refined by local search.
  int local_rounds = 12;         // Rounds of the local search.
  int neighbours = 24;           // Moves scored per round.
};

// The best point found. REQUIRES: the space has a feasible point.
std::vector<double> MaximizeAcquisition(const SearchSpace& space, const Acquisition& acquisition,
                                        const std::vector<std::vector<double>>& incumbents, std::mt19937_64* rng,
                                        const AcquisitionSearchOptions& options = {});

}  // namespace kiln::tune
