// Sobol low-discrepancy sequence in up to kMaxDimensions dimensions, with
// Joe and Kuo's direction numbers and a random digital shift (XOR) per seed,
// so each seed gets its own equally well spread sequence.
#pragma once

#include <cstdint>
#include <vector>

namespace kiln::tune {

class SobolSequence {
 public:
  static constexpr int kMaxDimensions = 21;

  // REQUIRES: 1 <= dimensions <= kMaxDimensions
  SobolSequence(int dimensions, uint64_t seed);

  // The point at `index` (0, 1, 2, ...), in [0, 1)^dimensions.
  std::vector<double> Point(uint64_t index) const;

 private:
  int dimensions_;                                // Coordinates per point.
  std::vector<std::vector<uint32_t>> direction_;  // Per dimension, 32 direction numbers.
  std::vector<uint32_t> shift_;                   // Per dimension, the digital shift.
};

}  // namespace kiln::tune
