// The learning-rate schedule of MLPerf's DLRM: linear warm-up, a constant
// stretch, then polynomial decay to zero.
#pragma once

#include <cstdint>

namespace kiln::train {

struct LrSchedule {
  float base = 0.1f;          // Peak learning rate.
  int64_t warmup_steps = 0;   // Steps 1..warmup ramp up linearly to `base`.
  int64_t decay_start = 0;    // Decay begins after this step; 0 with decay_steps 0: never.
  int64_t decay_steps = 0;    // Steps from base to 0; 0: no decay.
  float decay_power = 2.0f;   // Polynomial power of the decay.
};

// The rate for global step `step` (from 1).
float LearningRate(const LrSchedule& schedule, int64_t step);

}  // namespace kiln::train
