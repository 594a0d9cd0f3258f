#include "kiln/tune/dlrm_advisor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/io/json_format.h"
#include "kiln/tune/command_launcher.h"
#include "kiln/tune/pareto.h"

namespace kiln::tune {

const char* const kDlrmTrainYamlName = "dlrm_train.yaml";

namespace {

// Lighter to heavier shapes. The bottom MLP's hidden widths come after the
// dense width, and "D" stands for the trial's emb_dim.
const char* const kBottomHiddenWidths[] = {"64", "256-64", "512-256-64"};
const char* const kTopShapes = R"(["64-1", "256-1", "512-256-1", "1024-512-256-1"])";
constexpr char kEmbeddingPlaceholder = 'D';
// Finished trials the median pruner waits for before it judges.
constexpr int kPrunerStartupTrials = 5;

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.9g", value);
  return text;
}

std::string Quoted(const std::string& text) {
  std::string quoted;
  AppendJsonString(&quoted, text);
  return quoted;
}

// The study the advisor runs, as the YAML a user could have written: it is
// stored with the study, so `kiln tune show` reads it back, and a second run
// with other knobs is told the study differs instead of mixing trials.
std::string StudyYaml(const BuiltInAdvisorOptions& options, const DlrmData& data, double threshold,
                      int64_t steps, int64_t eval_every) {
  std::string bottom;
  for (const char* hidden : kBottomHiddenWidths) {
    bottom += std::string(bottom.empty() ? "[" : ", ") + "\"" + std::to_string(data.dense_width) + "-" + hidden + "-" +
              kEmbeddingPlaceholder + "\"";
  }
  bottom += "]";
  std::string yaml = "# kiln tune --advisor dlrm: " + std::to_string(steps) + " steps of " +
                     std::to_string(options.batch_size) + " rows per trial on " + data.directory + " (" +
                     std::to_string(data.rows) + " rows, the last " + Number(options.eval_fraction) +
                     " held out)\n";
  yaml += "study: dlrm\nmetrics:\n";
  yaml += "  - {name: auc, goal: maximize" + (threshold > 0 ? ", threshold: " + Number(threshold) : "") + "}\n";
  yaml += "  - {name: seconds, goal: minimize}\n";
  yaml += "budget: " + std::to_string(options.budget) + "\nsampler: default\nseed: " + std::to_string(options.seed) + "\n";
  yaml += "parameters:\n";
  yaml += "  - {name: learning_rate, type: float, low: 0.0003, high: 0.2, log: true}\n";
  yaml += "  - {name: warmup_steps, type: int, low: 0, high: " + std::to_string(steps / 4) + "}\n";
  yaml += "  - {name: decay_steps, type: int, low: 0, high: " + std::to_string(steps) + "}\n";
  yaml += "  - {name: emb_dim, type: categorical, choices: [\"16\", \"32\", \"64\", \"128\"]}\n";
  yaml += "  - {name: arch_mlp_bot, type: categorical, choices: " + bottom + "}\n";
  yaml += "  - {name: arch_mlp_top, type: categorical, choices: " + std::string(kTopShapes) + "}\n";
  yaml += "  - {name: optimizer, type: categorical, choices: [adagrad, lamb, adam]}\n";
  if (eval_every > 0) {
    yaml += "pruner: {type: median, startup_trials: " + std::to_string(kPrunerStartupTrials) + "}\n";
  }
  yaml += "trial:\n  command: kiln train\n  timeout_s: " + Number(options.timeout_s) + "\n";
  return yaml;
}

// Runs `kiln train` with a trial's settings as flags through the command
// launcher, which reads RUN_DIR/metrics.json and follows RUN_DIR/metrics.jsonl.
class DlrmLauncher : public TrialLauncher {
 public:
  DlrmLauncher(const DlrmAdvisor* advisor, CommandLauncherOptions options)
      : advisor_(advisor), launcher_(std::move(options)) {}

  TrialOutcome Run(const TrialRequest& request, TrialMonitor* monitor) override {
    TrialRequest train = request;
    train.params.clear();
    for (auto& [key, text] : advisor_->TrainSettings(request.params, request.directory + "/run")) {
      std::string flag = key;
      std::replace(flag.begin(), flag.end(), '_', '-');
      train.params.emplace_back(flag, text);
    }
    return launcher_.Run(train, monitor);
  }

 private:
  const DlrmAdvisor* advisor_;  // Not owned; outlives the launcher.
  CommandLauncher launcher_;
};

// Completed trials with both values.
std::vector<size_t> Completed(const StudyReport& report) {
  std::vector<size_t> done;
  for (size_t i = 0; i < report.trials.size(); ++i) {
    const TrialRecord& trial = report.trials[i];
    if (trial.state == TrialState::kComplete && trial.values.size() == 2) done.push_back(i);
  }
  return done;
}

// The non-dominated trials among `candidates` (indices into report.trials).
std::vector<size_t> FrontOf(const StudyReport& report, const std::vector<size_t>& candidates) {
  std::vector<std::vector<double>> losses;
  for (size_t i : candidates) losses.push_back({-report.trials[i].values[0], report.trials[i].values[1]});
  std::vector<size_t> front;
  for (size_t k : NonDominatedIndices(losses)) front.push_back(candidates[k]);
  return front;
}

std::string TrialLine(const StudyReport& report, size_t index) {
  const TrialRecord& trial = report.trials[index];
  char head[96];
  std::snprintf(head, sizeof(head), "  trial %lld: auc %.5f, seconds %.1f |", static_cast<long long>(trial.number),
                trial.values[0], trial.values[1]);
  std::string line = head;
  for (const auto& [name, text] : ActiveParams(report.config->space, trial.params)) line += " " + name + "=" + text;
  return line + "\n";
}

// The best-AUC point of `front` among those trained within `max_seconds`
// (0: all); the whole front, said in *text, when none is that fast.
size_t BestAucWithin(const StudyReport& report, const std::vector<size_t>& front, double max_seconds,
                     std::string* text) {
  std::vector<size_t> candidates;
  for (size_t i : front) {
    if (max_seconds <= 0 || report.trials[i].values[1] <= max_seconds) candidates.push_back(i);
  }
  if (candidates.empty()) {
    *text += "no front point trains within --max-seconds " + Number(max_seconds) + "; taking the whole front\n";
    candidates = front;
  }
  return *std::max_element(candidates.begin(), candidates.end(), [&](size_t a, size_t b) {
    return report.trials[a].values[0] < report.trials[b].values[0];
  });
}

// The training steps of one trial, or why the knobs leave nothing to train
// or to evaluate.
Result<int64_t> StepsPerTrial(const BuiltInAdvisorOptions& options, const DlrmData& data) {
  if (options.kiln.empty()) return Status::InvalidArgument("the dlrm advisor needs the path of the kiln binary");
  if (options.batch_size < 1) return Status::InvalidArgument("--batch-size must be at least 1");
  if (options.epochs < 1) return Status::InvalidArgument("--epochs must be at least 1");
  if (options.max_steps < 0 || options.evaluations < 0 || options.threads < 0 || options.timeout_s < 0 ||
      options.max_seconds < 0) {
    return Status::InvalidArgument("--max-steps, --evaluations, --trial-threads, --trial-timeout and --max-seconds "
                                   "cannot be negative");
  }
  const int64_t held_out = static_cast<int64_t>(std::floor(static_cast<double>(data.rows) * options.eval_fraction));
  const int64_t train_rows = data.rows - held_out;
  if (!(options.eval_fraction > 0 && options.eval_fraction < 1) || held_out < 1 || train_rows < 1) {
    return Status::InvalidArgument(data.directory + ": --eval-fraction " + Number(options.eval_fraction) + " of " +
                                   std::to_string(data.rows) + " rows leaves no training or no held-out rows");
  }
  const int64_t steps = options.epochs * ((train_rows + options.batch_size - 1) / options.batch_size);
  return options.max_steps > 0 ? std::min(steps, options.max_steps) : steps;
}

}  // namespace

Result<std::unique_ptr<DlrmAdvisor>> DlrmAdvisor::Make(const BuiltInAdvisorOptions& options, DlrmData data) {
  auto steps = StepsPerTrial(options, data);
  if (!steps.ok()) return steps.status();
  const int64_t eval_every = options.evaluations > 0 ? *steps / (options.evaluations + 1) : 0;
  const double bayes_auc = options.bayes_auc > 0 ? options.bayes_auc : data.bayes_auc;
  const double threshold = bayes_auc > 0 ? bayes_auc - options.auc_margin : 0;
  if (bayes_auc <= 0) {
    LogInfo(data.directory + ": no bayes_auc known (give --bayes-auc), so the AUC has no threshold");
  }
  auto config = ParseStudyYaml(StudyYaml(options, data, threshold, *steps, eval_every), "dlrm advisor study");
  if (!config.ok()) return config.status();
  std::unique_ptr<DlrmAdvisor> advisor(new DlrmAdvisor(options, std::move(data), *steps, eval_every));
  advisor->config_ = std::move(*config);
  return advisor;
}

std::vector<std::pair<std::string, std::string>> DlrmAdvisor::TrainSettings(
    const std::vector<std::pair<std::string, std::string>>& params, const std::string& run_directory) const {
  std::map<std::string, std::string> value(params.begin(), params.end());
  std::string bottom = value["arch_mlp_bot"];
  if (!bottom.empty() && bottom.back() == kEmbeddingPlaceholder) bottom = bottom.substr(0, bottom.size() - 1) + value["emb_dim"];
  const int64_t decay_steps = std::atoll(value["decay_steps"].c_str());
  std::vector<std::pair<std::string, std::string>> settings = {
      {"data", data_.directory},
      {"out", run_directory},
      {"arch_mlp_bot", bottom},
      {"arch_mlp_top", value["arch_mlp_top"]},
      {"emb_dim", value["emb_dim"]},
      {"optimizer", value["optimizer"]},
      {"learning_rate", value["learning_rate"]},
      {"warmup_steps", value["warmup_steps"]},
      {"decay_start", std::to_string(decay_steps > 0 ? steps_per_trial_ - decay_steps : 0)},
      {"decay_steps", std::to_string(decay_steps)},
      {"batch_size", std::to_string(options_.batch_size)},
      {"epochs", std::to_string(options_.epochs)},
      {"max_steps", std::to_string(steps_per_trial_)},
      {"eval_fraction", Number(options_.eval_fraction)},
      {"seed", std::to_string(options_.seed)},
  };
  if (eval_every_ > 0) settings.emplace_back("eval_every", std::to_string(eval_every_));
  if (options_.threads > 0) settings.emplace_back("threads", std::to_string(options_.threads));
  if (!options_.precision.empty()) settings.emplace_back("precision", options_.precision);
  return settings;
}

std::unique_ptr<TrialLauncher> DlrmAdvisor::MakeLauncher() const {
  CommandLauncherOptions options;
  options.trial.command = ShellQuote(options_.kiln) + " train";
  options.trial.timeout_s = options_.timeout_s;
  options.metrics = config_.metrics;
  options.result_file = "run/metrics.json";
  options.intermediate_file = "run/metrics.jsonl";
  options.intermediate_key = "auc";
  return std::make_unique<DlrmLauncher>(this, std::move(options));
}

Result<std::string> DlrmAdvisor::WriteTrainYaml(const TrialRecord& trial) const {
  const std::string output = options_.output.empty() ? "." : options_.output;
  std::error_code error;
  std::filesystem::create_directories(output, error);
  if (error) return Status::IOError(output + ": " + error.message());
  const std::string run = std::filesystem::absolute(output).lexically_normal().string() + "/run";
  std::string yaml = "# kiln tune --advisor dlrm: trial " + std::to_string(trial.number) + " of study 'dlrm', auc " +
                     Number(trial.values[0]) + ", " + Number(trial.values[1]) + " s of training.\n" +
                     "# Train it with: kiln train " + kDlrmTrainYamlName + "\n";
  for (const auto& [key, value] : TrainSettings(ActiveParams(config_.space, trial.params), run)) {
    yaml += key + ": " + (key == "data" || key == "out" ? Quoted(value) : value) + "\n";
  }
  const std::string path = output + "/" + kDlrmTrainYamlName;
  Status written = WriteFileAtomically(path, yaml);
  if (!written.ok()) return written;
  return path;
}

Result<std::string> DlrmAdvisor::Recommend(const StudyReport& report) const {
  const std::vector<size_t> completed = Completed(report);
  if (completed.empty()) return Status::NotFound("study 'dlrm': no trial completed, so there is nothing to recommend");
  const MetricSpec& auc = config_.metrics[0];
  std::string text;
  std::vector<size_t> front = report.best;  // The front among trials meeting the threshold.
  if (auc.threshold) {
    text += front.empty() ? "no trial reached the AUC threshold " + Number(*auc.threshold) +
                                "; the Pareto front of all " + std::to_string(completed.size()) + " completed trials:\n"
                          : "Pareto front of the trials with auc >= " + Number(*auc.threshold) + " (" +
                                std::to_string(front.size()) + " trials):\n";
  } else {
    text += "Pareto front (" + std::to_string(report.best.size()) + " trials):\n";
  }
  if (front.empty()) front = FrontOf(report, completed);
  for (size_t i : front) text += TrialLine(report, i);
  const size_t chosen = BestAucWithin(report, front, options_.max_seconds, &text);
  auto path = WriteTrainYaml(report.trials[chosen]);
  if (!path.ok()) return path.status();
  return text + "chosen: trial " + std::to_string(report.trials[chosen].number) + " (the best AUC on the front" +
         (options_.max_seconds > 0 ? " within " + Number(options_.max_seconds) + " s" : "") + ") -> " + *path + "\n";
}

}  // namespace kiln::tune
