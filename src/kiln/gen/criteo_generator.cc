#include "kiln/gen/criteo_generator.h"

#include <array>
#include <cassert>
#include <cmath>

namespace kiln {

namespace {

// Integer features: log-normal counts whose medians follow the Kaggle set
// (I5 in the thousands, I10 and I12 mostly 0 or 1), with weights of both
// signs so that some counts raise and some lower the click probability.
struct IntegerShape {
  double mu;      // Mean of the log value; the median count is about e^mu.
  double sigma;   // Spread of the log value.
  double weight;  // w_j.
};
constexpr IntegerShape kIntegerShapes[kCriteoIntegerColumns] = {
    {0.4, 1.2, 0.30},  {1.25, 1.8, -0.12}, {2.0, 1.3, 0.10},  {1.5, 0.9, 0.20},  {7.95, 1.6, -0.08},
    {3.5, 1.5, 0.12},  {1.25, 1.5, 0.25},  {2.14, 0.9, -0.10}, {3.66, 1.2, 0.15}, {-0.1, 0.7, 0.40},
    {0.4, 1.0, 0.25},  {-0.7, 1.2, 0.20},  {1.5, 1.0, -0.15}};

constexpr double kI2NegativeRate = 0.05;   // Share of present I2 values that are -1, -2 or -3.
constexpr uint64_t kI2NegativeThreshold = ProbabilityThreshold(kI2NegativeRate);
constexpr double kTargetPositiveRate = 0.25;  // Criteo's click rate; the bias is solved for it.
constexpr int64_t kCalibrationRows = 16384;   // Sample the bias is solved on.
constexpr double kSmallEffectScale = 0.32; // scale_c for columns of at most 100 k values.
constexpr double kLargeEffectScale = 0.24; // scale_c for larger columns.
constexpr double kEffectFadeRank = 1000;   // Effects fade past this rank.
constexpr int kLog1pTableSize = 4096;      // Counts below this use a table for log1p.
constexpr int64_t kMaxCount = int64_t{1} << 50;  // Far above any plausible count.

std::array<double, kLog1pTableSize> BuildLog1pTable() {
  std::array<double, kLog1pTableSize> table;
  for (int i = 0; i < kLog1pTableSize; ++i) table[i] = std::log1p(static_cast<double>(i));
  return table;
}
const std::array<double, kLog1pTableSize> kLog1pTable = BuildLog1pTable();

// log1p(max(count, 0)), the feature transform the hidden model (and DLRM) uses.
double Log1pCount(int64_t count) {
  if (count <= 0) return 0.0;
  if (count < kLog1pTableSize) return kLog1pTable[count];
  return std::log1p(static_cast<double>(count));
}

int64_t LognormalCount(double mu, double sigma, double gaussian) {
  double value = std::floor(std::exp(mu + sigma * gaussian));
  return value < static_cast<double>(kMaxCount) ? static_cast<int64_t>(value) : kMaxCount;
}

// E[log1p(max(floor(lognormal(mu, sigma)), 0))], by the midpoint rule over
// the Gaussian on [-8, 8]; exact enough to centre a logit term.
double ExpectedLog1pCount(double mu, double sigma) {
  constexpr int kSteps = 8192;
  constexpr double kLow = -8.0, kHigh = 8.0;
  const double step = (kHigh - kLow) / kSteps;
  double weighted = 0.0, total_weight = 0.0;
  for (int i = 0; i < kSteps; ++i) {
    const double z = kLow + (i + 0.5) * step;
    const double density = std::exp(-0.5 * z * z);
    weighted += density * Log1pCount(LognormalCount(mu, sigma, z));
    total_weight += density;
  }
  return weighted / total_weight;
}

// An approximately Gaussian value from 64 hash bits: the sum of four 16-bit
// uniforms (Irwin-Hall), centred. Its standard deviation is
// kCenteredHashSumSd; it is bounded by +-3.46 of those, which suits an
// effect size, and it costs no transcendental function.
double CenteredHashSum(uint64_t bits) {
  const uint64_t sum = (bits & 0xffff) + ((bits >> 16) & 0xffff) + ((bits >> 32) & 0xffff) + (bits >> 48);
  return static_cast<double>(sum) - 2.0 * 65535.0;
}
constexpr double kCenteredHashSumSd = 37837.22723720648;  // sqrt(4 (2^32 - 1) / 12)

int BitWidth(uint32_t x) { return x == 0 ? 0 : 32 - __builtin_clz(x); }

// Salts that keep the seed-derived streams of different purposes apart.
constexpr uint64_t kIdSalt = 0x1d5e0a3f7b2c9e41ULL;
constexpr uint64_t kEffectSalt = 0x6a09e667f3bcc908ULL;
constexpr uint64_t kCalibrationSalt = 0xbb67ae8584caa73bULL;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// The b for which the mean of Sigmoid(b + logits[i]) is `target`, by
// bisection: the mean is increasing in b, and 64 halvings reach the limit
// of double precision, so the answer does not depend on rounding luck.
double SolveBias(const std::vector<double>& logits, double target) {
  double low = -30.0, high = 30.0;
  for (int step = 0; step < 64; ++step) {
    const double middle = 0.5 * (low + high);
    double total = 0.0;
    for (double logit : logits) total += Sigmoid(middle + logit);
    (total < target * static_cast<double>(logits.size()) ? low : high) = middle;
  }
  return 0.5 * (low + high);
}

}  // namespace

void CriteoRows::Resize(int64_t first, int64_t row_count) {
  first_row = first;
  count = row_count;
  labels.resize(row_count);
  probability_buckets.resize(row_count);
  integers.resize(row_count * kCriteoIntegerColumns);
  category_ranks.resize(row_count * kCriteoCategoryColumns);
  category_ids.resize(row_count * kCriteoCategoryColumns);
}

CriteoGenerator::CriteoGenerator(int64_t rows, uint64_t seed) : rows_(rows), seed_(seed) {
  assert(rows >= 0);
  counts_.reserve(kCriteoIntegerColumns);
  for (int j = 0; j < kCriteoIntegerColumns; ++j) {
    counts_.emplace_back(kIntegerShapes[j].mu, kIntegerShapes[j].sigma);
    integer_columns_[j] = MakeIntegerColumn(j);
  }
  zipf_.reserve(kCriteoCategoryColumns);
  for (int c = 0; c < kCriteoCategoryColumns; ++c) {
    zipf_.emplace_back(CriteoCardinality(c, rows), kCriteoZipfExponents[c]);
    category_columns_[c] = MakeCategoryColumn(c);
  }
  bias_ = CalibrateBias();
}

CriteoGenerator::IntegerColumn CriteoGenerator::MakeIntegerColumn(int j) {
  const IntegerShape& shape = kIntegerShapes[j];
  double center = ExpectedLog1pCount(shape.mu, shape.sigma);
  if (j == 1) center *= 1.0 - kI2NegativeRate;  // Negative I2 values count as 0.
  return {shape.weight, center, ProbabilityThreshold(kCriteoIntegerMissingRates[j])};
}

CriteoGenerator::CategoryColumn CriteoGenerator::MakeCategoryColumn(int c) const {
  CategoryColumn column;
  const uint64_t id_key = HashCombine(seed_ ^ kIdSalt, c);
  column.multiplier = static_cast<uint32_t>(id_key) | 1u;
  column.offset = static_cast<uint32_t>(id_key >> 32);
  column.effect_salt = HashCombine(seed_ ^ kEffectSalt, c);
  const double scale = kCriteoKaggleCardinalities[c] <= 100000 ? kSmallEffectScale : kLargeEffectScale;
  for (int width = 0; width <= 32; ++width) {
    const double octave_start = width == 0 ? 0.0 : std::ldexp(1.0, width - 1);
    const double fade = 1.0 / std::sqrt(1.0 + octave_start / kEffectFadeRank);
    column.effect_by_octave[width] = scale * fade / kCenteredHashSumSd;
  }
  column.missing_threshold = ProbabilityThreshold(kCriteoCategoryMissingRates[c]);
  return column;
}

double CriteoGenerator::CalibrateBias() const {
  // The most frequent values' effects are random, and together they move the
  // mean logit by about one unit from seed to seed; a fixed bias would let
  // the positive rate drift between 0.2 and 0.3. So the bias is solved for
  // on rows from a stream of their own, which the file never contains.
  CriteoRows scratch;
  scratch.Resize(0, 1);
  std::vector<double> logits(kCalibrationRows);
  for (int64_t i = 0; i < kCalibrationRows; ++i) {
    Xoshiro256 rng(HashCombine(seed_ ^ kCalibrationSalt, static_cast<uint64_t>(i)));
    logits[i] = DrawFeatures(&rng, 0, &scratch);
  }
  return SolveBias(logits, kTargetPositiveRate);
}

uint32_t CriteoGenerator::CategoryId(int column, uint32_t rank) const {
  // An affine map with an odd multiplier, then the "lowbias32" integer hash
  // (C. Wellons): every step is invertible mod 2^32, so the whole is a
  // bijection, yet neighbouring ranks get unrelated-looking ids.
  const CategoryColumn& shape = category_columns_[column];
  uint32_t x = rank * shape.multiplier + shape.offset;
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

double CriteoGenerator::CategoryEffect(int column, uint32_t rank) const {
  // Mix64(salt + rank * golden) is SplitMix64's output number `rank` for the
  // column's salt: one mix per value, independent across ranks and columns.
  const CategoryColumn& shape = category_columns_[column];
  const uint64_t bits = Mix64(shape.effect_salt + static_cast<uint64_t>(rank) * 0x9e3779b97f4a7c15ULL);
  return shape.effect_by_octave[BitWidth(rank)] * CenteredHashSum(bits);
}

void CriteoGenerator::GenerateRows(int64_t first_row, int64_t count, CriteoRows* out) const {
  out->Resize(first_row, count);
  for (int64_t slot = 0; slot < count; ++slot) GenerateRow(first_row + slot, slot, out);
}

void CriteoGenerator::GenerateRow(int64_t row, int64_t slot, CriteoRows* out) const {
  Xoshiro256 rng(HashCombine(seed_, static_cast<uint64_t>(row)));
  const double probability = Sigmoid(bias_ + DrawFeatures(&rng, slot, out));
  uint64_t bucket = static_cast<uint64_t>(probability * static_cast<double>(kProbabilityBuckets));
  if (bucket >= static_cast<uint64_t>(kProbabilityBuckets)) bucket = kProbabilityBuckets - 1;
  out->probability_buckets[slot] = static_cast<uint32_t>(bucket);
  // 21 uniform bits below 2b + 1 has probability (2b + 1) / 2^21 = p_q exactly.
  out->labels[slot] = (rng.Next() >> (64 - kProbabilityBits - 1)) < 2 * bucket + 1 ? 1 : 0;
}

double CriteoGenerator::DrawFeatures(Xoshiro256* rng, int64_t slot, CriteoRows* out) const {
  // The order of draws below defines the output; changing it changes every file.
  double logit = 0.0;
  int64_t* integers = &out->integers[slot * kCriteoIntegerColumns];
  for (int j = 0; j < kCriteoIntegerColumns; ++j) {
    const IntegerColumn& column = integer_columns_[j];
    if (rng->NextBelow(column.missing_threshold)) {
      integers[j] = CriteoRows::kMissingInteger;
      continue;
    }
    int64_t value;
    if (j == 1 && rng->NextBelow(kI2NegativeThreshold)) {
      value = -1 - static_cast<int64_t>(((rng->Next() >> 32) * 3) >> 32);
    } else {
      value = counts_[j].Sample(rng);
    }
    integers[j] = value;
    logit += column.weight * (Log1pCount(value) - column.center);
  }

  uint32_t* ranks = &out->category_ranks[slot * kCriteoCategoryColumns];
  uint32_t* ids = &out->category_ids[slot * kCriteoCategoryColumns];
  for (int c = 0; c < kCriteoCategoryColumns; ++c) {
    if (rng->NextBelow(category_columns_[c].missing_threshold)) {
      ranks[c] = 0;
      ids[c] = 0;
      continue;
    }
    const uint32_t rank = static_cast<uint32_t>(zipf_[c].Sample(rng));
    ranks[c] = rank;
    ids[c] = CategoryId(c, rank);
    logit += CategoryEffect(c, rank);
  }
  return logit;
}

}  // namespace kiln
