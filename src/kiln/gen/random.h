// Random numbers for the generators: SplitMix64 to derive seeds, and
// xoshiro256** for the streams that drive sampling.
//
// Both are tiny, fast, deterministic on every platform and written from the
// published algorithms (Steele, Lea & Flood 2014; Blackman & Vigna 2018).
// They are not cryptographic.
#pragma once

#include <cmath>
#include <cstdint>

#include "kiln/core/hash.h"

namespace kiln {

// Maps 64 random bits to a double in [0, 1) with 53 bits of precision.
inline double ToUnitDouble(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// SplitMix64: a counter-based generator, used here to expand one seed into
// the state of a larger generator.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix64(state_);
  }

 private:
  uint64_t state_;  // Advances by the golden-ratio increment per call.
};

// xoshiro256**: 256 bits of state, period 2^256 - 1, passes BigCrush.
class Xoshiro256 {
 public:
  // Seeds all four words from SplitMix64(seed), as the authors recommend;
  // that also guarantees the state is never all zero.
  explicit Xoshiro256(uint64_t seed) {
    SplitMix64 expander(seed);
    for (uint64_t& word : state_) word = expander.Next();
  }

  uint64_t Next() {
    const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = RotateLeft(state_[3], 45);
    return result;
  }

  // A double in [0, 1).
  double NextDouble() { return ToUnitDouble(Next()); }

  // True with probability `threshold` / 2^64; see ProbabilityThreshold().
  bool NextBelow(uint64_t threshold) { return Next() < threshold; }

 private:
  static uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t state_[4];  // Never all zero.
};

// The threshold t for which Xoshiro256::NextBelow(t) is true with
// probability `p` (to within 2^-64). REQUIRES: 0 <= p <= 1
constexpr uint64_t ProbabilityThreshold(double p) {
  if (p <= 0) return 0;
  if (p >= 1) return UINT64_MAX;
  return static_cast<uint64_t>(p * 0x1.0p64);
}

// A standard Gaussian by Marsaglia's polar method. The method yields values
// in pairs; the second is dropped so that the function keeps no state.
inline double StandardGaussian(Xoshiro256* rng) {
  for (;;) {
    const double u = 2.0 * rng->NextDouble() - 1.0;
    const double v = 2.0 * rng->NextDouble() - 1.0;
    const double s = u * u + v * v;
    if (s < 1.0 && s > 0.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

}  // namespace kiln
