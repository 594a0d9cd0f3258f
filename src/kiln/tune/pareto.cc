#include "kiln/tune/pareto.h"

#include <algorithm>

namespace kiln::tune {

bool Dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

std::vector<size_t> NonDominatedIndices(const std::vector<std::vector<double>>& points) {
  std::vector<size_t> front;
  for (size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (size_t j = 0; j < points.size() && !dominated; ++j) dominated = j != i && Dominates(points[j], points[i]);
    if (!dominated) front.push_back(i);
  }
  return front;
}

namespace {

// Points sorted by the first coordinate; the staircase they dominate.
double Hypervolume2d(std::vector<std::vector<double>>& points, const std::vector<double>& reference) {
  std::sort(points.begin(), points.end());
  double volume = 0;
  double lowest_second = reference[1];
  for (const auto& point : points) {
    if (point[1] < lowest_second) {
      volume += (reference[0] - point[0]) * (lowest_second - point[1]);
      lowest_second = point[1];
    }
  }
  return volume;
}

// REQUIRES: every point beats the reference in every coordinate.
double HypervolumeOfBeating(std::vector<std::vector<double>> points, const std::vector<double>& reference) {
  size_t dimensions = reference.size();
  if (points.empty()) return 0;
  if (dimensions == 1) {
    double lowest = reference[0];
    for (const auto& point : points) lowest = std::min(lowest, point[0]);
    return reference[0] - lowest;
  }
  if (dimensions == 2) return Hypervolume2d(points, reference);
  // Slice along the last coordinate: between consecutive values, the
  // dominated region is the (d-1)-dimensional volume of the points below.
  std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.back() < b.back(); });
  std::vector<double> lower_reference(reference.begin(), reference.end() - 1);
  std::vector<std::vector<double>> below;
  double volume = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    below.emplace_back(points[i].begin(), points[i].end() - 1);
    double next = i + 1 < points.size() ? points[i + 1].back() : reference.back();
    if (next > points[i].back()) volume += HypervolumeOfBeating(below, lower_reference) * (next - points[i].back());
  }
  return volume;
}

}  // namespace

double Hypervolume(std::vector<std::vector<double>> points, const std::vector<double>& reference) {
  std::vector<std::vector<double>> beating;
  for (auto& point : points) {
    bool beats = true;
    for (size_t i = 0; i < reference.size() && beats; ++i) beats = point[i] < reference[i];
    if (beats) beating.push_back(std::move(point));
  }
  // Dominated points add nothing; dropping them keeps the slicing small.
  std::vector<std::vector<double>> front;
  for (size_t index : NonDominatedIndices(beating)) front.push_back(beating[index]);
  return HypervolumeOfBeating(std::move(front), reference);
}

}  // namespace kiln::tune
