#include "kiln/gen/criteo_generator.h"

#include <cmath>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/gen/auc.h"

namespace kiln {
namespace {

TEST(CriteoGeneratorTest, RowsDoNotDependOnHowTheyAreSplit) {
  CriteoGenerator generator(100000, 3);
  CriteoRows whole, part;
  generator.GenerateRows(1000, 500, &whole);
  generator.GenerateRows(1200, 50, &part);
  for (int64_t i = 0; i < 50; ++i) {
    const int64_t j = 200 + i;
    ASSERT_EQ(part.labels[i], whole.labels[j]);
    ASSERT_EQ(part.probability_buckets[i], whole.probability_buckets[j]);
    for (int c = 0; c < kCriteoIntegerColumns; ++c) ASSERT_EQ(part.integer(i, c), whole.integer(j, c));
    for (int c = 0; c < kCriteoCategoryColumns; ++c) {
      ASSERT_EQ(part.category_rank(i, c), whole.category_rank(j, c));
      ASSERT_EQ(part.category_id(i, c), whole.category_id(j, c));
    }
  }
}

TEST(CriteoGeneratorTest, CardinalitiesAreCappedForSmallFiles) {
  CriteoGenerator tiny(8, 1);
  CriteoGenerator small(1000, 1);
  CriteoGenerator large(100000000, 1);
  for (int c = 0; c < kCriteoCategoryColumns; ++c) {
    EXPECT_EQ(tiny.cardinality(c), std::min<int64_t>(kCriteoKaggleCardinalities[c], 3));
    EXPECT_EQ(small.cardinality(c), std::min<int64_t>(kCriteoKaggleCardinalities[c], 250));
    EXPECT_EQ(large.cardinality(c), kCriteoKaggleCardinalities[c]);
  }
}

TEST(CriteoGeneratorTest, IdsAreDistinctPerColumn) {
  CriteoGenerator generator(1000, 9);
  for (int c : {0, 2, 25}) {
    std::unordered_set<uint32_t> seen;
    for (uint32_t rank = 1; rank <= 200000; ++rank) ASSERT_TRUE(seen.insert(generator.CategoryId(c, rank)).second);
  }
  EXPECT_NE(generator.CategoryId(0, 1), generator.CategoryId(1, 1));
}

// Statistics over 200 k rows of one 2 M-row file.
class CriteoStatisticsTest : public ::testing::Test {
 protected:
  static constexpr int64_t kRows = 200000;
  static void SetUpTestSuite() {
    generator_ = new CriteoGenerator(2000000, 7);
    rows_ = new CriteoRows();
    generator_->GenerateRows(0, kRows, rows_);
  }
  static void TearDownTestSuite() {
    delete rows_;
    delete generator_;
  }
  static CriteoGenerator* generator_;
  static CriteoRows* rows_;
};
CriteoGenerator* CriteoStatisticsTest::generator_ = nullptr;
CriteoRows* CriteoStatisticsTest::rows_ = nullptr;

TEST_F(CriteoStatisticsTest, MissingRatesMatchKaggle) {
  for (int j = 0; j < kCriteoIntegerColumns; ++j) {
    int64_t missing = 0;
    for (int64_t i = 0; i < kRows; ++i) missing += rows_->integer(i, j) == CriteoRows::kMissingInteger;
    EXPECT_NEAR(static_cast<double>(missing) / kRows, kCriteoIntegerMissingRates[j], 0.01) << "I" << j + 1;
  }
  for (int c = 0; c < kCriteoCategoryColumns; ++c) {
    int64_t missing = 0;
    for (int64_t i = 0; i < kRows; ++i) missing += rows_->category_rank(i, c) == 0;
    EXPECT_NEAR(static_cast<double>(missing) / kRows, kCriteoCategoryMissingRates[c], 0.01) << "C" << c + 1;
  }
}

TEST_F(CriteoStatisticsTest, ValuesAreInRange) {
  int64_t negative_i2 = 0;
  for (int64_t i = 0; i < kRows; ++i) {
    for (int j = 0; j < kCriteoIntegerColumns; ++j) {
      const int64_t value = rows_->integer(i, j);
      if (value == CriteoRows::kMissingInteger) continue;
      if (j == 1 && value < 0) {
        ASSERT_GE(value, -3);
        ++negative_i2;
      } else {
        ASSERT_GE(value, 0) << "I" << j + 1;
      }
    }
    for (int c = 0; c < kCriteoCategoryColumns; ++c) {
      const uint32_t rank = rows_->category_rank(i, c);
      ASSERT_LE(rank, generator_->cardinality(c));
      if (rank != 0) {
        ASSERT_EQ(rows_->category_id(i, c), generator_->CategoryId(c, rank));
      }
    }
  }
  EXPECT_NEAR(static_cast<double>(negative_i2) / kRows, 0.05, 0.01);
}

TEST_F(CriteoStatisticsTest, FrequentValuesRepeat) {
  // Zipf: the top value of a large column is common, and a 10 M column still
  // shows many distinct values.
  std::unordered_set<uint32_t> distinct;
  int64_t top = 0;
  for (int64_t i = 0; i < kRows; ++i) {
    const uint32_t rank = rows_->category_rank(i, 2);  // C3: 10 M values.
    if (rank == 0) continue;
    distinct.insert(rank);
    top += rank == 1;
  }
  EXPECT_GT(top, kRows / 50);
  EXPECT_GT(distinct.size(), static_cast<size_t>(kRows / 10));
}

TEST_F(CriteoStatisticsTest, LabelsFollowTheQuantizedProbability) {
  double expected = 0.0, variance = 0.0;
  int64_t positives = 0;
  for (int64_t i = 0; i < kRows; ++i) {
    const double p = CriteoGenerator::BucketProbability(rows_->probability_buckets[i]);
    expected += p;
    variance += p * (1.0 - p);
    positives += rows_->labels[i];
  }
  EXPECT_NEAR(static_cast<double>(positives), expected, 5.0 * std::sqrt(variance));
  EXPECT_NEAR(static_cast<double>(positives) / kRows, 0.25, 0.015);
}

TEST_F(CriteoStatisticsTest, BayesAucIsCriteoLike) {
  BucketAucCounter counter(CriteoGenerator::kProbabilityBuckets);
  for (int64_t i = 0; i < kRows; ++i) counter.Add(rows_->probability_buckets[i], rows_->labels[i] != 0);
  EXPECT_GT(counter.Auc(), 0.77);
  EXPECT_LT(counter.Auc(), 0.83);
}

TEST(CriteoGeneratorTest, PositiveRateStaysNearTargetAcrossSeeds) {
  for (uint64_t seed : {1, 2, 12345}) {
    CriteoGenerator generator(1000000, seed);
    CriteoRows rows;
    generator.GenerateRows(0, 50000, &rows);
    int64_t positives = 0;
    for (uint8_t label : rows.labels) positives += label;
    EXPECT_NEAR(static_cast<double>(positives) / 50000, 0.25, 0.02) << "seed " << seed;
  }
}

}  // namespace
}  // namespace kiln
