// The sharding contract of EpochPlan, checked exhaustively over dataset
// shapes for 1, 2, 3 and 8 ranks.
#include "kiln/data/epoch_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace kiln::data {
namespace {

// Sequence positions (unit start + row) a plan covers, per padded flag.
struct Covered {
  std::vector<int64_t> real;    // Global row ids of unpadded rows.
  std::vector<int64_t> padded;  // Of padded rows.
};

Covered Cover(const std::vector<int64_t>& unit_rows, const EpochPlan& plan) {
  std::vector<int64_t> unit_start(unit_rows.size());
  for (size_t u = 1; u < unit_rows.size(); ++u) unit_start[u] = unit_start[u - 1] + unit_rows[u - 1];
  Covered covered;
  for (const PlanSlice& slice : plan.slices) {
    EXPECT_GE(slice.count, 1);
    EXPECT_LE(slice.begin + slice.count, unit_rows[slice.unit]);
    for (int64_t r = 0; r < slice.count; ++r) {
      (slice.padded ? covered.padded : covered.real).push_back(unit_start[slice.unit] + slice.begin + r);
    }
  }
  return covered;
}

void CheckSharding(const std::vector<int64_t>& unit_rows, int world, int64_t batch, bool drop_last, bool shuffle) {
  SCOPED_TRACE("units " + std::to_string(unit_rows.size()) + ", world " + std::to_string(world) + ", batch " +
               std::to_string(batch) + (drop_last ? ", drop_last" : ", pad") + (shuffle ? ", shuffled" : ""));
  int64_t total = 0;
  for (int64_t rows : unit_rows) total += rows;
  std::vector<int64_t> order = UnitOrder(unit_rows.size(), shuffle, 42, 3);
  std::set<int64_t> seen;
  int64_t batches = -1;
  int64_t padded = 0;
  for (int rank = 0; rank < world; ++rank) {
    EpochPlan plan = PlanEpoch(unit_rows, order, {rank, world, batch, drop_last});
    if (batches < 0) batches = plan.batches;
    EXPECT_EQ(plan.batches, batches) << "rank " << rank;  // Equal batch counts.
    Covered covered = Cover(unit_rows, plan);
    EXPECT_EQ(static_cast<int64_t>(covered.real.size() + covered.padded.size()), plan.batches * batch);
    EXPECT_EQ(static_cast<int64_t>(covered.padded.size()), plan.padded_rows);
    for (int64_t row : covered.real) EXPECT_TRUE(seen.insert(row).second) << "row " << row << " twice";
    for (int64_t row : covered.padded) EXPECT_LT(row, total);
    padded += plan.padded_rows;
  }
  // The union misses fewer than world * batch rows; pad misses none.
  EXPECT_GE(static_cast<int64_t>(seen.size()), total - (world * batch - 1));
  if (!drop_last) {
    EXPECT_EQ(static_cast<int64_t>(seen.size()), total);
    EXPECT_LT(padded, world * batch);
  } else {
    EXPECT_EQ(padded, 0);
  }
}

TEST(EpochPlanTest, ShardingPropertiesFor1_2_3_8Ranks) {
  const std::vector<std::vector<int64_t>> shapes = {{1000},                     // One unit, fewer units than ranks.
                                                    {100, 100, 100, 100, 100},  // Even units.
                                                    {7, 300, 1, 55, 129, 64},   // Ragged units.
                                                    {3},                        // Fewer rows than one batch.
                                                    std::vector<int64_t>(40, 25)};
  for (const auto& shape : shapes) {
    for (int world : {1, 2, 3, 8}) {
      for (int64_t batch : {1, 16, 33}) {
        for (bool drop_last : {true, false}) {
          for (bool shuffle : {false, true}) CheckSharding(shape, world, batch, drop_last, shuffle);
        }
      }
    }
  }
}

TEST(EpochPlanTest, FileOrderWithoutShuffle) {
  EpochPlan plan = PlanEpoch({10, 20, 30}, UnitOrder(3, false, 1, 1), {0, 1, 7, true});
  ASSERT_EQ(plan.batches, 8);  // 60 rows / 7, the last 4 dropped.
  ASSERT_EQ(plan.slices.size(), 3u);
  EXPECT_EQ(plan.slices[0].unit, 0);
  EXPECT_EQ(plan.slices[1].unit, 1);
  EXPECT_EQ(plan.slices[2].unit, 2);
  EXPECT_EQ(plan.slices[2].count, 26);
}

TEST(EpochPlanTest, TheSplitIsByRowsNotUnits) {
  // One unit of 100 rows over 3 ranks, batches of 10: 3 batches each.
  for (int rank = 0; rank < 3; ++rank) {
    EpochPlan plan = PlanEpoch({100}, {0}, {rank, 3, 10, true});
    EXPECT_EQ(plan.batches, 3);
    ASSERT_EQ(plan.slices.size(), 1u);
    EXPECT_EQ(plan.slices[0].begin, rank * 30);
    EXPECT_EQ(plan.slices[0].count, 30);
  }
}

TEST(EpochPlanTest, PaddingWrapsToTheStart) {
  // 25 rows, 2 ranks, batches of 10: 2 batches each, rank 1 holds rows
  // 20..24 and then 0..14 again, padded.
  EpochPlan plan = PlanEpoch({25}, {0}, {1, 2, 10, false});
  EXPECT_EQ(plan.batches, 2);
  EXPECT_EQ(plan.padded_rows, 15);
  ASSERT_EQ(plan.slices.size(), 2u);
  EXPECT_EQ(plan.slices[0].begin, 20);
  EXPECT_FALSE(plan.slices[0].padded);
  EXPECT_EQ(plan.slices[1].begin, 0);
  EXPECT_EQ(plan.slices[1].count, 15);
  EXPECT_TRUE(plan.slices[1].padded);
}

TEST(EpochPlanTest, UnitOrderIsASeededPermutation) {
  std::vector<int64_t> a = UnitOrder(50, true, 7, 0);
  EXPECT_EQ(a, UnitOrder(50, true, 7, 0));
  EXPECT_NE(a, UnitOrder(50, true, 7, 1));
  EXPECT_NE(a, UnitOrder(50, true, 8, 0));
  std::vector<int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 50; ++i) EXPECT_EQ(sorted[i], i);
}

}  // namespace
}  // namespace kiln::data
