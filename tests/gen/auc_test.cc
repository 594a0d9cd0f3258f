#include "kiln/gen/auc.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/gen/random.h"

namespace kiln {
namespace {

// The definition: over all (positive, negative) pairs, 1 if the positive
// scores higher, 1/2 on a tie.
double BruteForceAuc(const std::vector<float>& scores, const std::vector<uint8_t>& labels) {
  double wins = 0.0;
  int64_t pairs = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (!labels[i]) continue;
    for (size_t j = 0; j < scores.size(); ++j) {
      if (labels[j]) continue;
      ++pairs;
      wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
    }
  }
  return wins / static_cast<double>(pairs);
}

TEST(ExactAucTest, HandMadeCases) {
  EXPECT_DOUBLE_EQ(ExactAuc(std::vector<float>{0.1f, 0.4f, 0.35f, 0.8f}, std::vector<uint8_t>{0, 0, 1, 1}), 0.75);
  EXPECT_DOUBLE_EQ(ExactAuc(std::vector<float>{1, 2, 3, 4}, std::vector<uint8_t>{0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(ExactAuc(std::vector<float>{4, 3, 2, 1}, std::vector<uint8_t>{0, 0, 1, 1}), 0.0);
  // Pairs: (0.5 vs 0.5) tie, (0.5 vs 0.2) win, (0.9 vs both) wins: 3.5 / 4.
  EXPECT_DOUBLE_EQ(ExactAuc(std::vector<float>{0.5f, 0.5f, 0.2f, 0.9f}, std::vector<uint8_t>{1, 0, 0, 1}), 0.875);
}

TEST(ExactAucTest, AllScoresEqualIsOneHalf) {
  std::vector<float> scores(101, 0.3f);
  std::vector<uint8_t> labels(101, 0);
  for (int i = 0; i < 101; i += 3) labels[i] = 1;
  EXPECT_DOUBLE_EQ(ExactAuc(scores, labels), 0.5);
}

TEST(ExactAucTest, UndefinedWithOneClass) {
  EXPECT_TRUE(std::isnan(ExactAuc(std::vector<float>{1, 2}, std::vector<uint8_t>{1, 1})));
  EXPECT_TRUE(std::isnan(ExactAuc(std::vector<float>{1, 2}, std::vector<uint8_t>{0, 0})));
  EXPECT_TRUE(std::isnan(ExactAuc(std::vector<float>{}, std::vector<uint8_t>{})));
}

TEST(ExactAucTest, MatchesBruteForceWithManyTies) {
  Xoshiro256 rng(7);
  std::vector<float> scores(2000);
  std::vector<uint8_t> labels(2000);
  for (size_t i = 0; i < scores.size(); ++i) {
    scores[i] = static_cast<float>(rng.Next() % 17) * 0.25f;  // 17 levels: ties everywhere.
    labels[i] = rng.NextDouble() < 0.2 + 0.03 * scores[i] ? 1 : 0;
  }
  EXPECT_NEAR(ExactAuc(scores, labels), BruteForceAuc(scores, labels), 1e-12);
}

TEST(BucketAucCounterTest, MatchesExactAucAndMerges) {
  Xoshiro256 rng(8);
  std::vector<float> scores(3000);
  std::vector<uint8_t> labels(3000);
  BucketAucCounter first(64), second(64);
  for (size_t i = 0; i < scores.size(); ++i) {
    const int bucket = static_cast<int>(rng.Next() % 64);
    scores[i] = static_cast<float>(bucket);
    labels[i] = rng.NextDouble() < bucket / 80.0 ? 1 : 0;
    (i % 2 == 0 ? first : second).Add(bucket, labels[i] != 0);
  }
  first.Merge(second);
  int64_t positives = 0;
  for (uint8_t label : labels) positives += label;
  EXPECT_EQ(first.positives(), positives);
  EXPECT_EQ(first.negatives(), 3000 - positives);
  EXPECT_NEAR(first.Auc(), ExactAuc(scores, labels), 1e-15);
  EXPECT_NEAR(first.Auc(), BruteForceAuc(scores, labels), 1e-12);
}

TEST(BucketAucCounterTest, EmptyIsUndefined) {
  BucketAucCounter counter(4);
  EXPECT_TRUE(std::isnan(counter.Auc()));
  counter.Add(2, true);
  EXPECT_TRUE(std::isnan(counter.Auc()));
  counter.Add(2, false);
  EXPECT_DOUBLE_EQ(counter.Auc(), 0.5);
}

}  // namespace
}  // namespace kiln
