#include "kiln/tune/trial.h"

namespace kiln::tune {

const char* TrialStateName(TrialState state) {
  switch (state) {
    case TrialState::kRunning: return "running";
    case TrialState::kComplete: return "complete";
    case TrialState::kPruned: return "pruned";
    case TrialState::kFailed: return "failed";
  }
  return "unknown";
}

bool ParseTrialState(const std::string& text, TrialState* state) {
  for (TrialState candidate : {TrialState::kRunning, TrialState::kComplete, TrialState::kPruned, TrialState::kFailed}) {
    if (text == TrialStateName(candidate)) {
      *state = candidate;
      return true;
    }
  }
  return false;
}

}  // namespace kiln::tune
