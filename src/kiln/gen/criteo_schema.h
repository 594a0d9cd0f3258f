// The shape of the Criteo Kaggle click logs that `kiln gen criteo` imitates:
// column counts, categorical cardinalities and missing rates.
//
// A row is: label, I1..I13 (integer counts), C1..C26 (categorical values
// written as 8 lower-case hex digits). Any feature may be empty.
#pragma once

#include <cstdint>

namespace kiln {

inline constexpr int kCriteoIntegerColumns = 13;   // I1..I13
inline constexpr int kCriteoCategoryColumns = 26;  // C1..C26
inline constexpr int kCriteoFields = 1 + kCriteoIntegerColumns + kCriteoCategoryColumns;

// Distinct values per categorical column in the Kaggle training set.
inline constexpr int64_t kCriteoKaggleCardinalities[kCriteoCategoryColumns] = {
    1460, 583,   10131227, 2202608, 305,  24, 12517,   633, 3,  93145, 5683, 8351593, 3194,
    27,   14992, 5461306,  10,      5652, 2173, 4,     7046547, 18, 15,   286181,  105,  142572};

// Fraction of rows whose I1..I13 is empty.
inline constexpr double kCriteoIntegerMissingRates[kCriteoIntegerColumns] = {
    0.45, 0.0, 0.21, 0.22, 0.03, 0.22, 0.04, 0.0, 0.04, 0.45, 0.04, 0.77, 0.22};

// Fraction of rows whose C1..C26 is empty.
inline constexpr double kCriteoCategoryMissingRates[kCriteoCategoryColumns] = {
    0, 0, 0.03, 0.03, 0, 0.12, 0, 0, 0, 0.03, 0, 0.03, 0, 0, 0, 0.03, 0, 0, 0.44, 0.44, 0.03, 0.76, 0,
    0.03, 0.44, 0.44};

// Zipf exponent of each categorical column's value frequencies, between
// 1.05 (flattest, for the largest columns) and 1.3.
inline constexpr double kCriteoZipfExponents[kCriteoCategoryColumns] = {
    1.10, 1.20, 1.05, 1.08, 1.25, 1.30, 1.15, 1.22, 1.30, 1.07, 1.12, 1.05, 1.15,
    1.28, 1.12, 1.06, 1.30, 1.14, 1.16, 1.30, 1.06, 1.27, 1.26, 1.09, 1.24, 1.10};

// Distinct values of a categorical column in a file of `rows` rows: the
// Kaggle cardinality, capped at rows / 4 (but at least 3) so that small files
// still repeat their values.
inline int64_t CriteoCardinality(int column, int64_t rows) {
  int64_t cap = rows / 4 < 3 ? 3 : rows / 4;
  int64_t kaggle = kCriteoKaggleCardinalities[column];
  return kaggle < cap ? kaggle : cap;
}

}  // namespace kiln
