// TrialRecord: what the samplers, pruners and reports know of one trial,
// whether it lives in the SQLite store or in an in-memory Optimizer.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kiln::tune {

enum class TrialState { kRunning, kComplete, kPruned, kFailed };

const char* TrialStateName(TrialState state);
// False for unknown text.
bool ParseTrialState(const std::string& text, TrialState* state);

struct TrialRecord {
  int64_t number = 0;                                   // 0, 1, 2, ... in the order trials were asked for.
  TrialState state = TrialState::kRunning;
  std::vector<double> params;                           // A point of the search space (NaN: inactive).
  std::vector<double> values;                           // One per metric when complete, else empty.
  std::vector<std::pair<int64_t, double>> intermediate; // (step, value) reports, in order.
  std::string reason;                                   // Why it failed or was pruned.
  double started_at = 0;                                // Unix seconds.
  double finished_at = 0;                               // Unix seconds; 0 while running.
};

}  // namespace kiln::tune
