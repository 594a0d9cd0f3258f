#include "kiln/tune/sobol.h"

#include <random>

namespace kiln::tune {

namespace {

// Joe & Kuo (new-joe-kuo-6.21201), dimensions 2..21: degree s of the
// primitive polynomial, its inner coefficients a, and initial numbers m.
struct Direction {
  int degree;
  uint32_t coefficients;
  uint32_t initial[7];
};
constexpr Direction kDirections[] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
};

std::vector<uint32_t> DirectionNumbers(int dimension) {
  std::vector<uint32_t> v(32);
  if (dimension == 0) {
    for (int bit = 0; bit < 32; ++bit) v[bit] = 1u << (31 - bit);
    return v;
  }
  const Direction& d = kDirections[dimension - 1];
  for (int bit = 0; bit < 32; ++bit) {
    if (bit < d.degree) {
      v[bit] = d.initial[bit] << (31 - bit);
      continue;
    }
    v[bit] = v[bit - d.degree] ^ (v[bit - d.degree] >> d.degree);
    for (int k = 1; k < d.degree; ++k) {
      if ((d.coefficients >> (d.degree - 1 - k)) & 1) v[bit] ^= v[bit - k];
    }
  }
  return v;
}

}  // namespace

SobolSequence::SobolSequence(int dimensions, uint64_t seed) : dimensions_(dimensions) {
  std::mt19937_64 rng(seed ^ 0x50b01ull);
  for (int d = 0; d < dimensions; ++d) {
    direction_.push_back(DirectionNumbers(d));
    shift_.push_back(static_cast<uint32_t>(rng()));
  }
}

std::vector<double> SobolSequence::Point(uint64_t index) const {
  std::vector<double> point(dimensions_);
  for (int d = 0; d < dimensions_; ++d) {
    uint32_t x = 0;
    for (int bit = 0; bit < 32 && (index >> bit) != 0; ++bit) {
      // Gray-code free form: the index's own bits select direction numbers.
      if ((index >> bit) & 1) x ^= direction_[d][bit];
    }
    point[d] = static_cast<double>(x ^ shift_[d]) / 4294967296.0;
  }
  return point;
}

}  // namespace kiln::tune
