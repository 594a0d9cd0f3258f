// DlrmAdvisor: the built-in `dlrm` advisor (`kiln tune --advisor dlrm`).
// It tunes DLRM training on a `kiln prep --recipe dlrm` output by running
// `kiln train` once per trial, so the tune layer never links libtorch.
//
// The space: learning_rate (log), warmup_steps, decay_steps (the decay ends
// with the trial's last step), emb_dim {16, 32, 64, 128}, arch_mlp_bot and
// arch_mlp_top from lighter to heavier shapes, optimizer {adagrad, lamb,
// adam}. A bottom MLP choice is written with "D" for its last width, which
// is the trial's emb_dim, so every shape fits the dot interaction whatever
// dimension is drawn (e.g. "13-256-64-D" with emb_dim 32 trains
// 13-256-64-32).
//
// The metrics: auc (maximize; threshold bayes_auc - margin when the data's
// Bayes AUC is known) and seconds (minimize), both read from the trial's
// RUN_DIR/metrics.json; held-out AUCs of RUN_DIR/metrics.jsonl are the
// intermediate reports a median pruner judges.
//
// Recommend() picks the best-AUC point of the Pareto front (among the trials
// meeting the threshold; if none does, among all completed trials, and it
// says so), optionally only among points at most max_seconds long, and
// writes it as a `kiln train` YAML.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kiln/tune/advisor.h"
#include "kiln/tune/dlrm_data.h"

namespace kiln::tune {

// The name of the YAML file Recommend() writes into the output directory.
extern const char* const kDlrmTrainYamlName;

class DlrmAdvisor : public Advisor {
 public:
  // REQUIRES: data describes an existing dataset (InspectDlrmData), or is a
  // stand-in for one in tests. Fails for options out of range.
  static Result<std::unique_ptr<DlrmAdvisor>> Make(const BuiltInAdvisorOptions& options, DlrmData data);

  const StudyConfig& study() const override { return config_; }
  std::unique_ptr<TrialLauncher> MakeLauncher() const override;
  Result<std::string> Recommend(const StudyReport& report) const override;

  // The `kiln train` options of one trial, as (snake_case key, text) pairs
  // in a fixed order, training into `run_directory`. `params` are the
  // trial's active parameters (name, text).
  std::vector<std::pair<std::string, std::string>> TrainSettings(
      const std::vector<std::pair<std::string, std::string>>& params, const std::string& run_directory) const;

  int64_t steps_per_trial() const { return steps_per_trial_; }
  int64_t eval_every() const { return eval_every_; }

 private:
  DlrmAdvisor(BuiltInAdvisorOptions options, DlrmData data, int64_t steps_per_trial, int64_t eval_every)
      : options_(std::move(options)), data_(std::move(data)), steps_per_trial_(steps_per_trial),
        eval_every_(eval_every) {}
  // Writes `trial` as OUTPUT/dlrm_train.yaml; returns the path.
  Result<std::string> WriteTrainYaml(const TrialRecord& trial) const;

  BuiltInAdvisorOptions options_;
  DlrmData data_;
  int64_t steps_per_trial_ = 0;  // Steps each trial trains.
  int64_t eval_every_ = 0;       // Steps between intermediate held-out AUCs; 0: none.
  StudyConfig config_;           // Parsed from the generated study YAML.
};

}  // namespace kiln::tune
