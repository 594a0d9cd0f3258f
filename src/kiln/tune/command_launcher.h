// CommandLauncher: runs a trial as any shell command, and CommandAdvisor,
// the advisor a study file describes.
//
// The command gets the parameters three ways: appended as "--name value"
// flags (shell-quoted), as one JSON object on stdin, and as the path of the
// same JSON in KILN_PARAMS. It writes its metrics as a JSON object to the
// path in KILN_RESULT, and may append intermediate values to the file in
// KILN_INTERMEDIATE, one "STEP VALUE" (or just "VALUE") per line, for
// pruning. It runs in its own process group in the trial's directory's
// parent (the study file's directory), with stdout and stderr in
// TRIAL_DIR/output.log. A launcher for a program with its own output
// files (a built-in advisor's trainer) names them instead: the result and
// intermediate files inside the trial directory, and intermediate lines as
// JSON objects whose "step" and one key are the report. A timeout, a non-zero exit, a signal, or a missing,
// unreadable or incomplete result fails the trial with the reason; a pruned
// trial's process group is killed.
#pragma once

#include <string>

#include "kiln/tune/advisor.h"

namespace kiln::tune {

struct CommandLauncherOptions {
  CommandTrialOptions trial;           // Command and timeout.
  std::vector<MetricSpec> metrics;     // Expected in the result.
  std::string working_directory;       // Where the command runs ("" : the current one).
  double poll_interval_s = 0.05;       // How often the child and its reports are checked.
  std::string result_file = "result.json";            // KILN_RESULT, relative to the trial directory.
  std::string intermediate_file = "intermediate.txt"; // KILN_INTERMEDIATE, relative to the trial directory.
  std::string intermediate_key;        // Non-empty: intermediate lines are JSON; {"step": S, KEY: V} reports (S, V).
};

class CommandLauncher : public TrialLauncher {
 public:
  explicit CommandLauncher(CommandLauncherOptions options) : options_(std::move(options)) {}
  TrialOutcome Run(const TrialRequest& request, TrialMonitor* monitor) override;

 private:
  CommandLauncherOptions options_;
};

// `text` as one /bin/sh word, in single quotes.
std::string ShellQuote(const std::string& text);

// The parameters as a JSON object: numbers as numbers, choices as strings.
std::string ParamsJson(const SearchSpace& space, const std::vector<std::pair<std::string, std::string>>& params);

// Reads the metrics from a trial's result JSON text; the error says what is wrong.
Result<std::vector<double>> ParseResultJson(const std::string& text, const std::vector<MetricSpec>& metrics);

class CommandAdvisor : public Advisor {
 public:
  CommandAdvisor(StudyConfig config, std::string working_directory)
      : config_(std::move(config)), working_directory_(std::move(working_directory)) {}
  const StudyConfig& study() const override { return config_; }
  std::unique_ptr<TrialLauncher> MakeLauncher() const override;

 private:
  StudyConfig config_;             // From the study file.
  std::string working_directory_;  // The study file's directory.
};

}  // namespace kiln::tune
