// ZipfSampler: draws ranks k in [1, n] with probability proportional to
// k^-exponent, in O(1) time and memory whatever n is.
//
// It uses rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-
// inversion to generate variates from monotone discrete distributions",
// ACM TOMACS 6(3), 1996): invert the integral of the continuous hat
// h(x) = x^-exponent, round to the nearest integer, and accept with a test
// that almost always passes. No table of size n is built, so n can be
// ten million or more.
//
// To avoid a log and an exp per draw in the common case, the first (at most
// 1024) ranks, the head, are drawn from an alias table (Walker 1977, Vose
// 1991) instead: the part of the uniform range that rejection-inversion
// gives to the head is cut into a piece of length sum_{k in head} h(k),
// where the alias table picks k with probability h(k) / that sum, and a
// remainder that rejects. Each head rank keeps exactly its probability, and a
// head draw costs a multiply, two loads and a comparison, with no branch on k.
#pragma once

#include <cstdint>
#include <vector>

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

  // P(rank = k) for k = 1..count under this sampler's n and exponent,
  // normalized by summing the weights of all n ranks: O(n), meant for tests.
  // REQUIRES: 0 <= count <= n
  std::vector<double> Probabilities(int64_t count) const;

 private:
  // H(x) = (x^(1-q) - 1) / (1-q), an antiderivative of h (log x when q = 1).
  double HIntegral(double x) const;
  // The inverse of HIntegral.
  double HIntegralInverse(double y) const;
  // h(x) = x^-q, the hat.
  double Hat(double x) const;

  // Builds the alias table for ranks 1..head_ranks_.
  void BuildHead();
  // The rank for a u in the accepting part of the head: see the file comment.
  // REQUIRES: h_integral_x1_ <= u < h_integral_x1_ + head_weight_
  int64_t SampleHead(double u) const;
  // Rejection-inversion proper, for u past the head; 0 if rejected.
  int64_t SampleTail(double u) const;

  int64_t n_;                      // Largest rank.
  double exponent_;                // q, the Zipf exponent.
  double h_integral_x1_;           // HIntegral(1.5) - h(1): the lower end of the uniform range.
  double h_integral_n_;            // HIntegral(n + 0.5): the upper end.
  double squeeze_;                 // s: x >= k - s guarantees acceptance of k.
  int64_t head_ranks_;             // Ranks 1..head_ranks_ come from the alias table.
  double head_weight_;             // sum of h(k) over the head: the accepting part's length.
  double head_end_;                // HIntegral(head_ranks_ + 0.5): where the tail's range starts.
  double alias_scale_;             // head_ranks_ / head_weight_: maps u to a slot.
  std::vector<double> keep_;       // [slot]: keep rank slot + 1 if the fraction is below this.
  std::vector<uint32_t> alias_;    // [slot]: the rank to take otherwise.
};

}  // namespace kiln
