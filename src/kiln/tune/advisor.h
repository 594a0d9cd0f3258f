// The advisor extension point. An advisor is what `kiln tune` tunes: it
// contributes the search space, the metrics and a TrialLauncher that runs
// one trial. A study file (`trial: command:`) makes a CommandAdvisor; a
// built-in advisor (`kiln tune --advisor NAME`) knows one of Kiln's own
// models and runs its trainer. No built-in advisor is registered yet: the
// `dlrm` advisor needs `kiln train` (issue 6).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/tune/metric.h"
#include "kiln/tune/search_space.h"
#include "kiln/tune/study_config.h"
#include "kiln/tune/trial.h"

namespace kiln::tune {

// One trial to run.
struct TrialRequest {
  int64_t number = 0;
  std::vector<std::pair<std::string, std::string>> params;  // Active parameters: (name, text).
  std::string params_json;                                  // The same as one JSON object.
  std::string directory;                                    // Scratch directory of this trial (exists).
};

// What a running trial can tell the study. Called from the launcher's thread.
class TrialMonitor {
 public:
  virtual ~TrialMonitor() = default;
  // Stores an intermediate value; true when the pruner says stop.
  virtual bool Report(int64_t step, double value) = 0;
  // Proves the worker is alive (call at least every few seconds).
  virtual void Heartbeat() = 0;
};

struct TrialOutcome {
  TrialState state = TrialState::kFailed;  // complete, pruned or failed.
  std::vector<double> values;              // One per metric when complete.
  std::string reason;                      // Why failed or pruned.
};

class TrialLauncher {
 public:
  virtual ~TrialLauncher() = default;
  // Runs one trial to the end; never throws, reports every problem in the outcome.
  virtual TrialOutcome Run(const TrialRequest& request, TrialMonitor* monitor) = 0;
};

class Advisor {
 public:
  virtual ~Advisor() = default;
  // The study: name, metrics, space, budget, sampler, pruner and the text
  // stored to recognize it on resume.
  virtual const StudyConfig& study() const = 0;
  virtual std::unique_ptr<TrialLauncher> MakeLauncher() const = 0;
};

struct BuiltInAdvisorOptions {
  std::string data;    // --data: the prepared data directory.
  std::string output;  // Where the advisor writes what it recommends.
};

// The built-in advisor called `name`; the error lists the known ones.
Result<std::unique_ptr<Advisor>> MakeBuiltInAdvisor(const std::string& name, const BuiltInAdvisorOptions& options);

}  // namespace kiln::tune
