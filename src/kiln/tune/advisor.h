// The advisor extension point. An advisor is what `kiln tune` tunes: it
// contributes the search space, the metrics and a TrialLauncher that runs
// one trial. A study file (`trial: command:`) makes a CommandAdvisor; a
// built-in advisor (`kiln tune --advisor NAME`) knows one of Kiln's own
// models and runs its trainer: `dlrm` (dlrm_advisor.h) runs `kiln train`.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/tune/metric.h"
#include "kiln/tune/search_space.h"
#include "kiln/tune/study_config.h"
#include "kiln/tune/study_report.h"
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
  // Called once the run has ended, with the whole study's report: a built-in
  // advisor writes what it recommends and returns the text to print (what it
  // chose, from which front, and where it wrote it). Default: nothing.
  virtual Result<std::string> Recommend(const StudyReport& report) const {
    (void)report;
    return std::string();
  }
};

// What `kiln tune --advisor NAME` passes a built-in advisor: where the data
// is, and the budget and size of its trials.
struct BuiltInAdvisorOptions {
  std::string data;                // --data: the prepared data directory.
  std::string output;              // --out: where the advisor writes what it recommends.
  std::string kiln;                // The kiln binary that runs the trainer.
  int64_t budget = 30;             // --budget: trials.
  uint64_t seed = 0;               // --seed.
  double bayes_auc = 0;            // --bayes-auc: the data's Bayes AUC; 0: looked up beside the prep input.
  double auc_margin = 0.03;        // The AUC threshold is bayes_auc minus this.
  int64_t max_steps = 0;           // --max-steps: training steps per trial; 0: whole epochs.
  int64_t epochs = 1;              // --epochs per trial.
  int64_t batch_size = 2048;       // --batch-size.
  double eval_fraction = 0.1;      // --eval-fraction: the last rows held out.
  int64_t evaluations = 3;         // --evaluations: held-out AUCs reported for pruning during a trial; 0: none.
  int64_t threads = 0;             // --trial-threads: per trial; 0: the trainer's default.
  double timeout_s = 3600;         // --trial-timeout: seconds per trial; 0: no limit.
  std::string precision;           // --precision (fp32, bf16); empty: the trainer's default.
  double max_seconds = 0;          // --max-seconds: recommend the best AUC among front points this fast; 0: any.
};

// The built-in advisor called `name`; the error lists the known ones.
Result<std::unique_ptr<Advisor>> MakeBuiltInAdvisor(const std::string& name, const BuiltInAdvisorOptions& options);

}  // namespace kiln::tune
