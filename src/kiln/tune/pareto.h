// Pareto fronts and hypervolume, for losses (every coordinate minimized).
#pragma once

#include <cstddef>
#include <vector>

namespace kiln::tune {

// True when a is no worse than b everywhere and better somewhere.
bool Dominates(const std::vector<double>& a, const std::vector<double>& b);

// Indices of the points no other point dominates, ascending. Equal points
// are all kept.
std::vector<size_t> NonDominatedIndices(const std::vector<std::vector<double>>& points);

// The volume dominated by `points` and bounded by `reference` (points that
// do not beat the reference in every coordinate add nothing). Exact for any
// dimension: a sweep in 2-D, and slicing along the last objective (HSO)
// above, which is O(n^(d-1) log n) and meant for the few objectives a study
// has. REQUIRES: every point has reference.size() coordinates.
double Hypervolume(std::vector<std::vector<double>> points, const std::vector<double>& reference);

}  // namespace kiln::tune
