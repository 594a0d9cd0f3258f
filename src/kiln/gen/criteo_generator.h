// CriteoGenerator: the hidden model behind `kiln gen criteo`. It produces any
// row of a synthetic Criteo-format click log, with the probability that was
// used to draw its label, from (seed, rows, row index) alone.
//
// The model, per row:
//   I_j  = floor(lognormal(mu_j, sigma_j)) (see LognormalCountSampler), I2
//          sometimes -1..-3; each may be missing at the Kaggle rate.
//   C_c  = a Zipf(q_c) rank over CriteoCardinality(c, rows) values, shown as
//          a per-column bijective scramble of the rank to 8 hex digits.
//   logit = bias + sum_j w_j * (log1p(max(I_j, 0)) - center_j)
//               + sum_c effect_c(rank_c)
//          over the features present in the row (a missing feature adds 0),
//          so the label depends only on what the file shows. The bias is
//          solved (per seed and row count) for a positive rate of 0.25 on a
//          calibration sample of 16384 rows from a separate stream.
//   effect_c(rank) = scale_c * fade(rank) * g(hash(seed, c, rank)), with
//          g an approximately standard Gaussian (Irwin-Hall, 4 uniforms) and
//          fade(rank) = 1 / sqrt(1 + 2^floor(log2 rank) / 1000): frequent
//          values carry the strongest signal, and past rank ~1000 effects
//          shrink by sqrt(2) per doubling of the rank (one step per octave,
//          so a 33-entry table replaces a sqrt per value).
//   p = sigmoid(logit), quantized to the centre of one of 2^20 buckets:
//          p_q = (floor(p * 2^20) + 0.5) / 2^20, and label ~ Bernoulli(p_q).
// The quantized p_q is the true probability of the label: the Bayes AUC is
// the AUC of p_q, computable exactly from per-bucket counts.
//
// Every row has its own xoshiro256** stream seeded from (seed, row), so the
// output does not depend on how rows are split into blocks or threads.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "kiln/gen/criteo_schema.h"
#include "kiln/gen/lognormal_count_sampler.h"
#include "kiln/gen/random.h"
#include "kiln/gen/zipf_sampler.h"

namespace kiln {

// A run of consecutive generated rows, column values stored row-major.
struct CriteoRows {
  static constexpr int64_t kMissingInteger = std::numeric_limits<int64_t>::min();

  // Sizes every vector for `row_count` rows starting at `first`.
  void Resize(int64_t first, int64_t row_count);

  // REQUIRES: 0 <= row < count (row is relative to first_row)
  int64_t integer(int64_t row, int column) const { return integers[row * kCriteoIntegerColumns + column]; }
  uint32_t category_rank(int64_t row, int column) const {
    return category_ranks[row * kCriteoCategoryColumns + column];
  }
  uint32_t category_id(int64_t row, int column) const { return category_ids[row * kCriteoCategoryColumns + column]; }

  int64_t first_row = 0;                       // Index of the first row in the file.
  int64_t count = 0;                           // Rows held.
  std::vector<uint8_t> labels;                 // 0 or 1 per row.
  std::vector<uint32_t> probability_buckets;   // b per row; the true probability is (b + 0.5) / 2^20.
  std::vector<int64_t> integers;               // count x 13; kMissingInteger when empty.
  std::vector<uint32_t> category_ranks;        // count x 26; Zipf rank >= 1, or 0 when empty.
  std::vector<uint32_t> category_ids;          // count x 26; the written id, 0 when empty.
};

class CriteoGenerator {
 public:
  static constexpr int kProbabilityBits = 20;
  static constexpr int64_t kProbabilityBuckets = int64_t{1} << kProbabilityBits;

  // The model for a file of `rows` rows (the row count caps cardinalities).
  // REQUIRES: rows >= 0
  CriteoGenerator(int64_t rows, uint64_t seed);

  CriteoGenerator(const CriteoGenerator&) = delete;
  CriteoGenerator& operator=(const CriteoGenerator&) = delete;

  int64_t rows() const { return rows_; }
  uint64_t seed() const { return seed_; }
  // Distinct values column `column` (0-based) can take in this file.
  int64_t cardinality(int column) const { return zipf_[column].n(); }
  // The logit's constant term.
  double bias() const { return bias_; }

  // Fills `out` with rows [first_row, first_row + count). Thread-safe.
  // REQUIRES: 0 <= first_row, count >= 0 (rows past rows() are generated too)
  void GenerateRows(int64_t first_row, int64_t count, CriteoRows* out) const;

  // The 32-bit id written for `rank` in column `column`; distinct ranks get
  // distinct ids. REQUIRES: 0 <= column < 26
  uint32_t CategoryId(int column, uint32_t rank) const;
  // The logit contribution of `rank` in column `column`.
  double CategoryEffect(int column, uint32_t rank) const;
  // The true probability that bucket `bucket` stands for.
  static double BucketProbability(uint32_t bucket) {
    return (static_cast<double>(bucket) + 0.5) / static_cast<double>(kProbabilityBuckets);
  }

 private:
  struct IntegerColumn {
    double weight;              // w_j in the logit.
    double center;              // E[log1p(max(I_j, 0))], subtracted so the term averages 0.
    uint64_t missing_threshold; // Xoshiro256::NextBelow threshold for "empty".
  };
  struct CategoryColumn {
    uint32_t multiplier;         // Odd: makes rank -> id a bijection mod 2^32.
    uint32_t offset;             // Column salt added before mixing.
    uint64_t effect_salt;        // Keys the hash behind effect_c.
    double effect_by_octave[33]; // [bit width of rank]: scale_c * fade / sd of the raw hash sum.
    uint64_t missing_threshold;  // Xoshiro256::NextBelow threshold for "empty".
  };

  // The model of I(j+1), from the fixed shape table.
  static IntegerColumn MakeIntegerColumn(int j);
  // The model of C(c+1); its salts come from seed_.
  CategoryColumn MakeCategoryColumn(int c) const;
  // The bias that gives a positive rate of 0.25 on a calibration sample.
  double CalibrateBias() const;
  // Generates row `row` into slot `slot` of `out`.
  void GenerateRow(int64_t row, int64_t slot, CriteoRows* out) const;
  // Draws the features of one row from `rng` into slot `slot` of `out` and
  // returns their part of the logit (everything but the bias).
  double DrawFeatures(Xoshiro256* rng, int64_t slot, CriteoRows* out) const;

  int64_t rows_;                                           // Rows in the file.
  uint64_t seed_;                                          // User seed.
  double bias_;                                            // Solved so the positive rate is about 0.25.
  IntegerColumn integer_columns_[kCriteoIntegerColumns];   // Model of I1..I13.
  CategoryColumn category_columns_[kCriteoCategoryColumns];  // Model of C1..C26.
  std::vector<LognormalCountSampler> counts_;              // Count sampler per integer column.
  std::vector<ZipfSampler> zipf_;                          // Rank sampler per categorical column.
};

}  // namespace kiln
