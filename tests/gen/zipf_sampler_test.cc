#include "kiln/gen/zipf_sampler.h"

#include <cmath>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

namespace kiln {
namespace {

// Checks that `hits` out of `draws` is within 5 standard deviations of a
// binomial with probability `p`.
void ExpectBinomial(int64_t hits, int64_t draws, double p, const std::string& what) {
  const double expected = p * static_cast<double>(draws);
  const double sd = std::sqrt(expected * (1.0 - p));
  EXPECT_NEAR(static_cast<double>(hits), expected, 5.0 * sd + 1.0) << what;
}

// Draws `draws` ranks and counts them per rank (index 0 unused).
std::vector<int64_t> Histogram(const ZipfSampler& sampler, int64_t draws, uint64_t seed) {
  Xoshiro256 rng(seed);
  std::vector<int64_t> counts(sampler.n() + 1, 0);
  for (int64_t i = 0; i < draws; ++i) {
    const int64_t k = sampler.Sample(&rng);
    EXPECT_GE(k, 1);
    EXPECT_LE(k, sampler.n());
    if (k < 1 || k > sampler.n()) return counts;
    ++counts[k];
  }
  return counts;
}

TEST(ZipfSamplerTest, SingleRankAlwaysReturnsOne) {
  ZipfSampler sampler(1, 1.1);
  Xoshiro256 rng(3);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(sampler.Sample(&rng), 1);
}

TEST(ZipfSamplerTest, ThreeRanksMatchThePmf) {
  for (double exponent : {0.8, 1.0, 1.05, 1.3}) {
    ZipfSampler sampler(3, exponent);
    const int64_t draws = 300000;
    std::vector<int64_t> counts = Histogram(sampler, draws, 11);
    std::vector<double> pmf = sampler.Probabilities(3);
    for (int k = 1; k <= 3; ++k) {
      ExpectBinomial(counts[k], draws, pmf[k - 1], "q=" + std::to_string(exponent) + " k=" + std::to_string(k));
    }
  }
}

TEST(ZipfSamplerTest, HeadAndTailMatchThePmf) {
  // n = 3000 spans the tabulated head (ranks 1..1024) and the computed tail.
  ZipfSampler sampler(3000, 1.1);
  const int64_t draws = 1000000;
  std::vector<int64_t> counts = Histogram(sampler, draws, 5);
  std::vector<double> pmf = sampler.Probabilities(3000);
  for (int k = 1; k <= 20; ++k) ExpectBinomial(counts[k], draws, pmf[k - 1], "k=" + std::to_string(k));
  // Ranges around the head/tail boundary and in the far tail.
  const std::vector<std::pair<int, int>> ranges = {{21, 100}, {101, 1000}, {1001, 1024}, {1025, 1048},
                                                   {1025, 2000}, {2001, 3000}};
  for (auto [first, last] : ranges) {
    const int64_t hits = std::accumulate(counts.begin() + first, counts.begin() + last + 1, int64_t{0});
    const double p = std::accumulate(pmf.begin() + first - 1, pmf.begin() + last, 0.0);
    ExpectBinomial(hits, draws, p, "ranks " + std::to_string(first) + ".." + std::to_string(last));
  }
}

TEST(ZipfSamplerTest, TenMillionRanksMatchThePmf) {
  const int64_t n = 10000000;
  ZipfSampler sampler(n, 1.05);
  const int64_t draws = 1000000;
  Xoshiro256 rng(99);
  std::vector<int64_t> first_ranks(11, 0);
  int64_t below_1k = 0, below_100k = 0, top_half = 0;
  for (int64_t i = 0; i < draws; ++i) {
    const int64_t k = sampler.Sample(&rng);
    ASSERT_GE(k, 1);
    ASSERT_LE(k, n);
    if (k <= 10) ++first_ranks[k];
    below_1k += k <= 1000;
    below_100k += k <= 100000;
    top_half += k > n / 2;
  }
  std::vector<double> pmf = sampler.Probabilities(100000);
  for (int k = 1; k <= 10; ++k) ExpectBinomial(first_ranks[k], draws, pmf[k - 1], "k=" + std::to_string(k));
  ExpectBinomial(below_1k, draws, std::accumulate(pmf.begin(), pmf.begin() + 1000, 0.0), "k <= 1000");
  ExpectBinomial(below_100k, draws, std::accumulate(pmf.begin(), pmf.end(), 0.0), "k <= 100000");
  EXPECT_GT(top_half, 0);  // The far tail is reachable.
}

TEST(ZipfSamplerTest, SameSeedSameDraws) {
  ZipfSampler sampler(5000000, 1.2);
  Xoshiro256 a(42), b(42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(sampler.Sample(&a), sampler.Sample(&b));
}

}  // namespace
}  // namespace kiln
