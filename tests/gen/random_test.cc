#include "kiln/gen/random.h"

#include <cmath>

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(RandomTest, SplitMix64MatchesTheReference) {
  // First outputs of the reference splitmix64.c for seed 0.
  SplitMix64 generator(0);
  EXPECT_EQ(generator.Next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(generator.Next(), 0x6e789e6aa1b965f4ULL);
}

TEST(RandomTest, XoshiroIsDeterministicAndSeedSensitive) {
  Xoshiro256 a(123), b(123), c(124);
  int same_as_c = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t value = a.Next();
    ASSERT_EQ(value, b.Next());
    same_as_c += value == c.Next();
  }
  EXPECT_EQ(same_as_c, 0);
}

TEST(RandomTest, UnitDoublesAndThresholds) {
  EXPECT_EQ(ToUnitDouble(0), 0.0);
  EXPECT_LT(ToUnitDouble(UINT64_MAX), 1.0);
  EXPECT_EQ(ProbabilityThreshold(0.0), 0u);
  EXPECT_EQ(ProbabilityThreshold(1.0), UINT64_MAX);
  EXPECT_EQ(ProbabilityThreshold(0.5), uint64_t{1} << 63);
  Xoshiro256 rng(5);
  int hits = 0;
  for (int i = 0; i < 100000; ++i) hits += rng.NextBelow(ProbabilityThreshold(0.3));
  EXPECT_NEAR(hits / 100000.0, 0.3, 0.01);
}

TEST(RandomTest, StandardGaussianMoments) {
  Xoshiro256 rng(6);
  double sum = 0.0, sum_squares = 0.0;
  const int draws = 200000;
  for (int i = 0; i < draws; ++i) {
    const double z = StandardGaussian(&rng);
    sum += z;
    sum_squares += z * z;
  }
  EXPECT_NEAR(sum / draws, 0.0, 0.015);
  EXPECT_NEAR(sum_squares / draws, 1.0, 0.02);
}

}  // namespace
}  // namespace kiln
