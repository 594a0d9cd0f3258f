// ZipfSampler: draws ranks k in [1, n] with probability proportional to
// k^-exponent, in O(1) time and memory whatever n is.
//
// It uses rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-
// inversion to generate variates from monotone discrete distributions",
// ACM TOMACS 6(3), 1996): invert the integral of the continuous hat
// h(x) = x^-exponent, round to the nearest integer, and accept with a test
// that almost always passes. No table of size n is built, so n can be
// ten million or more.
#pragma once

#include <cstdint>

#include "kiln/gen/random.h"

namespace kiln {

class ZipfSampler {
 public:
  // REQUIRES: n >= 1, exponent > 0
  ZipfSampler(int64_t n, double exponent);

  int64_t n() const { return n_; }
  double exponent() const { return exponent_; }

  // Draws one rank in [1, n]. Uses one uniform draw per attempt; fewer than
  // a few percent of attempts are rejected.
  int64_t Sample(Xoshiro256* rng) const;

  // P(rank = k) for this sampler's n and exponent, by summing the weights of
  // all n ranks: O(n) per call, meant for tests.
  double Probability(int64_t k) const;

 private:
  // H(x) = (x^(1-q) - 1) / (1-q), an antiderivative of h (log x when q = 1).
  double HIntegral(double x) const;
  // The inverse of HIntegral.
  double HIntegralInverse(double y) const;
  // h(x) = x^-q.
  double H(double x) const;

  int64_t n_;                 // Largest rank.
  double exponent_;           // q, the Zipf exponent.
  double h_integral_x1_;      // HIntegral(1.5) - h(1): the lower end of the uniform range.
  double h_integral_n_;       // HIntegral(n + 0.5): the upper end.
  double squeeze_;            // s: x >= k - s guarantees acceptance of k.
};

}  // namespace kiln
