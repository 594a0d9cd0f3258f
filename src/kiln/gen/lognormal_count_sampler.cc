#include "kiln/gen/lognormal_count_sampler.h"

#include <cassert>
#include <cmath>

namespace kiln {

namespace {

constexpr int64_t kMaxTableSize = 4096;   // Largest table: 48 KB.
constexpr double kMaxTableTail = 0.01;    // Tabulate only if P(count >= V) is at most this.
constexpr double kTableTailTarget = 1e-3; // Stop growing V once the tail is this light.
constexpr int64_t kMaxCount = int64_t{1} << 50;  // Far above any plausible count.

// P(Z >= x) for a standard Gaussian Z.
double UpperTail(double x) { return 0.5 * std::erfc(x / std::sqrt(2.0)); }

}  // namespace

LognormalCountSampler::LognormalCountSampler(double mu, double sigma) : mu_(mu), sigma_(sigma) {
  assert(sigma > 0);
  // The smallest V whose tail is light enough, if one up to the cap is.
  table_size_ = 1;
  while (table_size_ < kMaxTableSize && TailProbability(table_size_) > kTableTailTarget) table_size_ *= 2;
  if (TailProbability(table_size_) > kMaxTableTail) {
    table_size_ = 0;
    return;
  }
  tail_start_ = (std::log(static_cast<double>(table_size_)) - mu_) / sigma_;
  BuildTable();
}

double LognormalCountSampler::TailProbability(int64_t k) const {
  if (k <= 0) return 1.0;
  return UpperTail((std::log(static_cast<double>(k)) - mu_) / sigma_);
}

double LognormalCountSampler::Probability(int64_t k) const {
  if (k < 0) return 0.0;
  return TailProbability(k) - TailProbability(k + 1);
}

void LognormalCountSampler::BuildTable() {
  // Vose's alias construction over table_size_ + 1 outcomes, the last being
  // "table_size_ or more": scale to mean 1, then top up each under-full slot
  // from an over-full outcome.
  const int64_t slots = table_size_ + 1;
  std::vector<double> weights(slots);
  for (int64_t k = 0; k < table_size_; ++k) weights[k] = Probability(k) * static_cast<double>(slots);
  weights[table_size_] = TailProbability(table_size_) * static_cast<double>(slots);
  keep_.assign(slots, 1.0);
  alias_.resize(slots);
  std::vector<int64_t> small, large;
  for (int64_t slot = 0; slot < slots; ++slot) {
    alias_[slot] = static_cast<uint32_t>(slot);
    (weights[slot] < 1.0 ? small : large).push_back(slot);
  }
  while (!small.empty() && !large.empty()) {
    const int64_t under = small.back();
    small.pop_back();
    const int64_t over = large.back();
    keep_[under] = weights[under];
    alias_[under] = static_cast<uint32_t>(over);
    weights[over] -= 1.0 - weights[under];
    if (weights[over] < 1.0) {
      large.pop_back();
      small.push_back(over);
    }
  }
  // Whatever is left is full up to rounding: keep_ stays 1.
}

int64_t LognormalCountSampler::CountFor(double z) const {
  const double value = std::floor(std::exp(mu_ + sigma_ * z));
  return value < static_cast<double>(kMaxCount) ? static_cast<int64_t>(value) : kMaxCount;
}

int64_t LognormalCountSampler::Sample(Xoshiro256* rng) const {
  if (table_size_ == 0) return CountFor(StandardGaussian(rng));
  const double position = rng->NextDouble() * static_cast<double>(table_size_ + 1);
  int64_t slot = static_cast<int64_t>(position);
  if (slot > table_size_) slot = table_size_;  // Only by rounding.
  const int64_t outcome = position - static_cast<double>(slot) < keep_[slot] ? slot : alias_[slot];
  return outcome < table_size_ ? outcome : SampleTail(rng);
}

int64_t LognormalCountSampler::SampleTail(Xoshiro256* rng) const {
  // Marsaglia's method for Z >= a > 0: x = sqrt(a^2 - 2 log u1) has density
  // proportional to x exp(-x^2 / 2) on [a, inf); accepting with probability
  // a / x leaves exactly the Gaussian tail. a >= 2.3 here (the tail is below
  // 1%), so over 85% of tries accept. A count >= table_size_ results, up to
  // rounding in exp; the max keeps that rounding from leaking into the table.
  const double a = tail_start_;
  for (;;) {
    const double u1 = 1.0 - rng->NextDouble();  // In (0, 1]: log is finite.
    const double u2 = rng->NextDouble();
    const double x = std::sqrt(a * a - 2.0 * std::log(u1));
    if (u2 * x <= a) {
      const int64_t count = CountFor(x);
      return count > table_size_ ? count : table_size_;
    }
  }
}

}  // namespace kiln
