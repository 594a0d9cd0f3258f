#include "kiln/data/epoch_plan.h"

#include <algorithm>
#include <numeric>

#include "kiln/data/random.h"

namespace kiln::data {

namespace {

// Appends the slices covering sequence positions [from, to), to < total.
void AppendRange(const std::vector<int64_t>& unit_rows, const std::vector<int64_t>& order,
                 const std::vector<int64_t>& starts, int64_t from, int64_t to, bool padded, EpochPlan* plan) {
  // The ordered unit holding position `from`.
  size_t index = std::upper_bound(starts.begin(), starts.end(), from) - starts.begin() - 1;
  while (from < to) {
    const int64_t unit = order[index];
    const int64_t begin = from - starts[index];
    const int64_t count = std::min(unit_rows[unit] - begin, to - from);
    plan->slices.push_back({unit, begin, count, padded});
    if (padded) plan->padded_rows += count;
    from += count;
    ++index;
  }
}

}  // namespace

std::vector<int64_t> UnitOrder(int64_t unit_count, bool shuffle, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(unit_count);
  std::iota(order.begin(), order.end(), 0);
  if (!shuffle) return order;
  Xoshiro256 random(StreamSeed(seed, epoch, kUnitOrderStream));
  for (int64_t i = unit_count - 1; i > 0; --i) std::swap(order[i], order[Below(&random, i + 1)]);
  return order;
}

EpochPlan PlanEpoch(const std::vector<int64_t>& unit_rows, const std::vector<int64_t>& order,
                    const ShardOptions& shard) {
  std::vector<int64_t> starts(order.size());  // Sequence position of each ordered unit.
  int64_t total = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    starts[i] = total;
    total += unit_rows[order[i]];
  }
  EpochPlan plan;
  const int64_t round = static_cast<int64_t>(shard.world) * shard.batch_size;  // Rows per batch over all ranks.
  plan.batches = shard.drop_last || total == 0 ? total / round : (total + round - 1) / round;
  plan.rows = plan.batches * shard.batch_size;
  const int64_t first = shard.rank * plan.rows;
  const int64_t end = first + plan.rows;
  if (first < total) AppendRange(unit_rows, order, starts, first, std::min(end, total), false, &plan);
  // Padding: positions past the end wrap around, possibly more than once
  // when the dataset is smaller than one round.
  for (int64_t position = std::max(first, total); position < end;) {
    const int64_t wrapped = position % total;
    const int64_t count = std::min(end - position, total - wrapped);
    AppendRange(unit_rows, order, starts, wrapped, wrapped + count, true, &plan);
    position += count;
  }
  return plan;
}

}  // namespace kiln::data
