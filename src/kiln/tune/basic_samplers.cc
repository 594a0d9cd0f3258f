#include "kiln/tune/basic_samplers.h"

#include <algorithm>

#include "kiln/tune/sobol.h"

namespace kiln::tune {

Result<std::vector<double>> RandomSampler::Suggest(const SampleContext& context) {
  std::mt19937_64 rng = SuggestionRng(context, 1);
  return RandomFeasiblePoint(*context.space, &rng);
}

Result<std::vector<double>> SobolSampler::Suggest(const SampleContext& context) {
  const SearchSpace& space = *context.space;
  int dimensions = static_cast<int>(std::min<size_t>(space.size(), SobolSequence::kMaxDimensions));
  SobolSequence sequence(dimensions, context.seed);
  std::vector<double> unit = sequence.Point(static_cast<uint64_t>(context.trial_number));
  std::mt19937_64 rng = SuggestionRng(context, 2);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  while (unit.size() < space.size()) unit.push_back(uniform(rng));
  std::vector<double> point = space.FromUnit(unit);
  if (space.Feasible(point)) return point;
  return RandomFeasiblePoint(space, &rng);
}

std::vector<std::vector<double>> GridSampler::AxisUnits(const SearchSpace& space) const {
  std::vector<std::vector<double>> axes;
  for (size_t i = 0; i < space.size(); ++i) {
    int64_t cells = space.CellCount(i);
    std::vector<double>& axis = axes.emplace_back();
    if (cells > 0 && cells <= options_.points_per_axis) {
      for (int64_t c = 0; c < cells; ++c) axis.push_back((c + 0.5) / cells);
    } else {
      int n = std::max(2, options_.points_per_axis);
      for (int k = 0; k < n; ++k) axis.push_back(static_cast<double>(k) / (n - 1));
    }
  }
  return axes;
}

Result<std::vector<double>> GridSampler::Suggest(const SampleContext& context) {
  const SearchSpace& space = *context.space;
  std::vector<std::vector<double>> axes = AxisUnits(space);
  uint64_t total = 1;
  for (const auto& axis : axes) total = std::min<uint64_t>(total * axis.size(), uint64_t{1} << 40);
  for (uint64_t offset = 0; offset < std::min<uint64_t>(total, 100000); ++offset) {
    uint64_t index = (static_cast<uint64_t>(context.trial_number) + offset) % total;
    std::vector<double> unit(space.size());
    // Mixed radix, last parameter fastest.
    for (size_t i = space.size(); i-- > 0;) {
      unit[i] = axes[i][index % axes[i].size()];
      index /= axes[i].size();
    }
    std::vector<double> point = space.FromUnit(unit);
    if (space.Feasible(point)) return point;
  }
  return Status::InvalidArgument("no feasible grid point: are the linear constraints satisfiable?");
}

}  // namespace kiln::tune
