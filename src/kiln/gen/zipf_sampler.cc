#include "kiln/gen/zipf_sampler.h"

#include <cassert>
#include <cmath>

namespace kiln {

namespace {

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
  squeeze_ = 2.0 - HIntegralInverse(HIntegral(2.5) - H(2.0));
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

double ZipfSampler::H(double x) const { return std::exp(-exponent_ * std::log(x)); }

int64_t ZipfSampler::Sample(Xoshiro256* rng) const {
  // u is uniform over (HIntegral(1.5) - 1, HIntegral(n + 0.5)]. That range
  // splits into one piece per rank k, [HIntegral(k - 0.5), HIntegral(k + 0.5)),
  // whose top h(k) accepts k; since h is convex each piece is at least h(k)
  // long, and the piece for k = 1 is exactly h(1) = 1 long.
  for (;;) {
    const double u = h_integral_n_ + rng->NextDouble() * (h_integral_x1_ - h_integral_n_);
    const double x = HIntegralInverse(u);
    int64_t k = static_cast<int64_t>(x + 0.5);
    if (k < 1) {
      k = 1;
    } else if (k > n_) {
      k = n_;
    }
    const double kd = static_cast<double>(k);
    if (kd - x <= squeeze_ || u >= HIntegral(kd + 0.5) - H(kd)) return k;
  }
}

double ZipfSampler::Probability(int64_t k) const {
  if (k < 1 || k > n_) return 0.0;
  // Sum the smallest terms first so the total is as exact as doubles allow.
  double total = 0.0;
  for (int64_t i = n_; i >= 1; --i) total += std::pow(static_cast<double>(i), -exponent_);
  return std::pow(static_cast<double>(k), -exponent_) / total;
}

}  // namespace kiln
