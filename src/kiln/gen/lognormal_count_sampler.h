// LognormalCountSampler: draws counts floor(exp(mu + sigma * Z)), Z a
// standard Gaussian, the heavy-tailed law of Criteo's integer features.
//
// Drawing Z and taking exp for every value costs a log, a sqrt, a division
// and an exp. Instead, when counts of 4096 and more are rare (below 1%), the
// exact probabilities of the counts 0..V-1 and of "V or more" go into an
// alias table (Walker 1977, Vose 1991), so most draws are a multiply, two
// loads and a comparison; a "V or more" draw takes Z from the Gaussian tail
// beyond the matching point with Marsaglia's tail method (1964). Columns
// whose tail is heavier are drawn directly. Both ways give the same law.
#pragma once

#include <cstdint>
#include <vector>

#include "kiln/gen/random.h"

namespace kiln {

class LognormalCountSampler {
 public:
  // REQUIRES: sigma > 0
  LognormalCountSampler(double mu, double sigma);

  double mu() const { return mu_; }
  double sigma() const { return sigma_; }
  // Counts below this come straight from the table; 0 when every draw is direct.
  int64_t table_size() const { return table_size_; }

  // Draws one count >= 0.
  int64_t Sample(Xoshiro256* rng) const;

  // P(count = k), from the Gaussian distribution function. For tests.
  double Probability(int64_t k) const;

 private:
  // P(count >= k) = P(Z >= (log k - mu) / sigma).
  double TailProbability(int64_t k) const;
  // Fills keep_ and alias_ for counts 0..table_size_ - 1 and the tail slot.
  void BuildTable();
  // A count >= table_size_: Z from the Gaussian tail beyond tail_start_.
  int64_t SampleTail(Xoshiro256* rng) const;
  // floor(exp(mu + sigma * z)), saturated far above any plausible count.
  int64_t CountFor(double z) const;

  double mu_;                    // Mean of log count.
  double sigma_;                 // Standard deviation of log count.
  int64_t table_size_;           // V: the table covers counts 0..V-1, slot V means ">= V".
  double tail_start_;            // (log V - mu) / sigma: Z beyond it gives counts >= V.
  std::vector<double> keep_;     // [slot]: keep the slot's own outcome if the fraction is below this.
  std::vector<uint32_t> alias_;  // [slot]: the outcome to take otherwise.
};

}  // namespace kiln
