#include "kiln/gen/lognormal_count_sampler.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace kiln {
namespace {

void ExpectBinomial(int64_t hits, int64_t draws, double p, const std::string& what) {
  const double expected = p * static_cast<double>(draws);
  const double sd = std::sqrt(expected * (1.0 - p));
  EXPECT_NEAR(static_cast<double>(hits), expected, 5.0 * sd + 1.0) << what;
}

// Draws from a sampler and compares the frequencies of small counts, of a
// middle range and of the tail beyond the table with the exact law.
void CheckAgainstLaw(double mu, double sigma, uint64_t seed) {
  LognormalCountSampler sampler(mu, sigma);
  const int64_t draws = 400000;
  const int64_t table = sampler.table_size();
  const int64_t tail_from = table > 0 ? table : 4096;
  const int64_t small_limit = std::min<int64_t>(16, tail_from);
  std::vector<int64_t> small(small_limit, 0);
  int64_t middle = 0, tail = 0;  // [small_limit, tail_from) and [tail_from, inf).
  Xoshiro256 rng(seed);
  for (int64_t i = 0; i < draws; ++i) {
    const int64_t count = sampler.Sample(&rng);
    ASSERT_GE(count, 0);
    if (count < small_limit) {
      ++small[count];
    } else if (count < tail_from) {
      ++middle;
    } else {
      ++tail;
    }
  }
  const std::string name = "mu=" + std::to_string(mu) + " sigma=" + std::to_string(sigma);
  double below_tail = 0.0;
  for (int64_t k = 0; k < tail_from; ++k) below_tail += sampler.Probability(k);
  double below_small_limit = 0.0;
  for (int64_t k = 0; k < small_limit; ++k) {
    ExpectBinomial(small[k], draws, sampler.Probability(k), name + " count=" + std::to_string(k));
    below_small_limit += sampler.Probability(k);
  }
  ExpectBinomial(middle, draws, below_tail - below_small_limit, name + " middle");
  ExpectBinomial(tail, draws, 1.0 - below_tail, name + " tail");
}

TEST(LognormalCountSamplerTest, SmallCountsUseTheTable) {
  LognormalCountSampler sampler(0.4, 1.2);
  EXPECT_GT(sampler.table_size(), 0);
  CheckAgainstLaw(0.4, 1.2, 1);
}

TEST(LognormalCountSamplerTest, TableWithARareTail) {
  // Counts of 4096 and more are rare but do occur: they come from the tail path.
  LognormalCountSampler sampler(3.5, 1.5);
  EXPECT_EQ(sampler.table_size(), 4096);
  CheckAgainstLaw(3.5, 1.5, 2);
}

TEST(LognormalCountSamplerTest, HeavyColumnsAreDrawnDirectly) {
  LognormalCountSampler sampler(7.95, 1.6);  // Median near 2800.
  EXPECT_EQ(sampler.table_size(), 0);
  CheckAgainstLaw(7.95, 1.6, 3);
}

TEST(LognormalCountSamplerTest, MostlyZeroColumns) {
  CheckAgainstLaw(-0.7, 1.2, 4);
  CheckAgainstLaw(-0.1, 0.7, 5);
}

TEST(LognormalCountSamplerTest, ProbabilitiesSumToOne) {
  LognormalCountSampler sampler(1.25, 1.8);
  double total = 0.0;
  for (int64_t k = 0; k < 1000000; ++k) total += sampler.Probability(k);
  EXPECT_NEAR(total, 1.0, 1e-9);  // P(count >= 1 M) is about 1e-12.
}

}  // namespace
}  // namespace kiln
