#include "kiln/tune/pareto.h"

#include <gtest/gtest.h>

namespace kiln::tune {
namespace {

TEST(ParetoTest, NonDominatedIndices) {
  std::vector<std::vector<double>> points = {{1, 5}, {2, 2}, {3, 3}, {5, 1}, {2, 2}, {6, 6}};
  EXPECT_EQ(NonDominatedIndices(points), (std::vector<size_t>{0, 1, 3, 4}));
  EXPECT_TRUE(Dominates({1, 1}, {1, 2}));
  EXPECT_FALSE(Dominates({1, 2}, {1, 2}));
  EXPECT_FALSE(Dominates({0, 3}, {1, 2}));
}

TEST(ParetoTest, Hypervolume2dByHand) {
  // Reference (4, 4); points (1, 3), (2, 2), (3, 1): staircase 3*1 + 2*1 + 1*1 = 6.
  EXPECT_DOUBLE_EQ(Hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}), 6.0);
  // A dominated point and one outside the reference add nothing.
  EXPECT_DOUBLE_EQ(Hypervolume({{1, 3}, {2, 2}, {3, 1}, {3, 3}, {5, 0}}, {4, 4}), 6.0);
  EXPECT_DOUBLE_EQ(Hypervolume({}, {4, 4}), 0.0);
}

TEST(ParetoTest, Hypervolume3dByHand) {
  // One point: the box. Two points by inclusion-exclusion:
  // (0,0,1): 2*2*1 = 4; (1,1,0): 1*1*2 = 2; overlap box from (1,1,1): 1*1*1 = 1 -> 5.
  EXPECT_DOUBLE_EQ(Hypervolume({{0, 0, 0}}, {2, 3, 4}), 24.0);
  EXPECT_DOUBLE_EQ(Hypervolume({{0, 0, 1}, {1, 1, 0}}, {2, 2, 2}), 5.0);
  // Three unit-corner points of the cube [0,2]^3: each 1*2*2 = 4 slabs,
  // pairwise overlaps 1*1*2 = 2, triple overlap 1 -> 3*4 - 3*2 + 1 = 7.
  EXPECT_DOUBLE_EQ(Hypervolume({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {2, 2, 2}), 7.0);
}

TEST(ParetoTest, Hypervolume4dMatchesInclusionExclusion) {
  // (0,0,0,1) and (1,1,1,0) in [0,2]^4: 8 + 2 - 1 = 9.
  EXPECT_DOUBLE_EQ(Hypervolume({{0, 0, 0, 1}, {1, 1, 1, 0}}, {2, 2, 2, 2}), 9.0);
}

}  // namespace
}  // namespace kiln::tune
