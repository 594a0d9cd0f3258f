#include "kiln/gen/zipf_sampler.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace kiln {

namespace {

constexpr int64_t kMaxHeadRanks = 1024;  // Largest alias table: 12 KB.

// log1p(t) / t, continuous at t = 0 where a direct division would lose all
// precision; lets HIntegralInverse handle exponents near 1 without a branch
// on the exponent.
double Log1pOverX(double t) {
  if (std::fabs(t) > 1e-8) return std::log1p(t) / t;
  return 1.0 - t * (0.5 - t * (1.0 / 3.0));
}

// expm1(t) / t, continuous at t = 0.
double Expm1OverX(double t) {
  if (std::fabs(t) > 1e-8) return std::expm1(t) / t;
  return 1.0 + t * (0.5 + t * (1.0 / 6.0));
}

}  // namespace

ZipfSampler::ZipfSampler(int64_t n, double exponent) : n_(n), exponent_(exponent) {
  assert(n >= 1 && exponent > 0);
  h_integral_x1_ = HIntegral(1.5) - 1.0;
  h_integral_n_ = HIntegral(static_cast<double>(n) + 0.5);
  // The paper's Lemma: k - HIntegralInverse(HIntegral(k + 0.5) - h(k)) grows
  // with k, so its value at k = 2 is a squeeze that holds for every k >= 2.
  squeeze_ = 2.0 - HIntegralInverse(HIntegral(2.5) - Hat(2.0));
  BuildHead();
}

void ZipfSampler::BuildHead() {
  head_ranks_ = std::min(n_, kMaxHeadRanks);
  head_end_ = HIntegral(static_cast<double>(head_ranks_) + 0.5);
  std::vector<double> weights(head_ranks_);
  head_weight_ = 0.0;
  for (int64_t k = 1; k <= head_ranks_; ++k) {
    weights[k - 1] = Hat(static_cast<double>(k));
    head_weight_ += weights[k - 1];
  }
  alias_scale_ = static_cast<double>(head_ranks_) / head_weight_;

  // Vose's alias construction: scale weights to mean 1, then pair each
  // under-full slot with an over-full rank that tops it up.
  keep_.assign(head_ranks_, 1.0);
  alias_.resize(head_ranks_);
  std::vector<int64_t> small, large;
  for (int64_t slot = 0; slot < head_ranks_; ++slot) {
    weights[slot] *= alias_scale_;
    alias_[slot] = static_cast<uint32_t>(slot + 1);
    (weights[slot] < 1.0 ? small : large).push_back(slot);
  }
  while (!small.empty() && !large.empty()) {
    const int64_t under = small.back();
    small.pop_back();
    const int64_t over = large.back();
    keep_[under] = weights[under];
    alias_[under] = static_cast<uint32_t>(over + 1);
    weights[over] -= 1.0 - weights[under];
    if (weights[over] < 1.0) {
      large.pop_back();
      small.push_back(over);
    }
  }
  // Whatever is left is full up to rounding: keep_ stays 1.
}

int64_t ZipfSampler::SampleHead(double u) const {
  const double position = (u - h_integral_x1_) * alias_scale_;
  int64_t slot = static_cast<int64_t>(position);
  if (slot >= head_ranks_) slot = head_ranks_ - 1;  // Only by rounding.
  const double fraction = position - static_cast<double>(slot);
  return fraction < keep_[slot] ? slot + 1 : alias_[slot];
}

double ZipfSampler::HIntegral(double x) const {
  const double log_x = std::log(x);
  return Expm1OverX((1.0 - exponent_) * log_x) * log_x;
}

double ZipfSampler::HIntegralInverse(double y) const {
  double t = y * (1.0 - exponent_);
  if (t < -1.0) t = -1.0;  // Rounding can push y just past the pole at x = 0.
  return std::exp(Log1pOverX(t) * y);
}

double ZipfSampler::Hat(double x) const { return std::exp(-exponent_ * std::log(x)); }

int64_t ZipfSampler::Sample(Xoshiro256* rng) const {
  // u is uniform over (HIntegral(1.5) - 1, HIntegral(n + 0.5)]. That range
  // splits into one piece per rank k, [HIntegral(k - 0.5), HIntegral(k + 0.5)),
  // whose top h(k) accepts k; since h is convex each piece is at least h(k)
  // long, and the piece for k = 1 is exactly h(1) = 1 long. The head's pieces
  // are pooled: the first head_weight_ of them accepts (via the alias table),
  // the rest rejects.
  for (;;) {
    const double u = h_integral_n_ + rng->NextDouble() * (h_integral_x1_ - h_integral_n_);
    if (u >= head_end_) {
      if (const int64_t k = SampleTail(u); k != 0) return k;
    } else if (u - h_integral_x1_ < head_weight_) {
      return SampleHead(u);
    }
  }
}

int64_t ZipfSampler::SampleTail(double u) const {
  if (head_ranks_ == n_) return 0;  // u is exactly HIntegral(n + 0.5): a null event.
  const double x = HIntegralInverse(u);
  // u is past the head's pieces, so its rank is too, whatever x rounds to.
  const int64_t k = std::clamp<int64_t>(static_cast<int64_t>(x + 0.5), head_ranks_ + 1, n_);
  const double kd = static_cast<double>(k);
  if (kd - x <= squeeze_ || u >= HIntegral(kd + 0.5) - Hat(kd)) return k;
  return 0;
}

std::vector<double> ZipfSampler::Probabilities(int64_t count) const {
  assert(count >= 0 && count <= n_);
  // Sum the smallest terms first so the total is as exact as doubles allow.
  double total = 0.0;
  for (int64_t k = n_; k >= 1; --k) total += Hat(static_cast<double>(k));
  std::vector<double> probabilities(count);
  for (int64_t k = 1; k <= count; ++k) probabilities[k - 1] = Hat(static_cast<double>(k)) / total;
  return probabilities;
}

}  // namespace kiln
