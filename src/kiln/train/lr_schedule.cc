#include "kiln/train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace kiln::train {

float LearningRate(const LrSchedule& schedule, int64_t step) {
  if (step <= schedule.warmup_steps) {
    return schedule.base * static_cast<float>(step) / static_cast<float>(schedule.warmup_steps);
  }
  if (schedule.decay_steps > 0 && step > schedule.decay_start) {
    const double done = static_cast<double>(step - schedule.decay_start) / static_cast<double>(schedule.decay_steps);
    return schedule.base * static_cast<float>(std::pow(std::max(0.0, 1.0 - done), schedule.decay_power));
  }
  return schedule.base;
}

}  // namespace kiln::train
