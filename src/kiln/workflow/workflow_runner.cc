#include "kiln/workflow/workflow_runner.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "kiln/core/child_process.h"
#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/workflow/fingerprint.h"
#include "kiln/workflow/stage_plan.h"

namespace kiln::workflow {

namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status MakeDirectory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  return error ? Status::IOError(path + ": " + error.message()) : Status::OK();
}

// Removes `path` (file or directory tree) when present.
Status RemoveAll(const std::string& path) {
  std::error_code error;
  std::filesystem::remove_all(path, error);
  return error ? Status::IOError(path + ": cannot remove: " + error.message()) : Status::OK();
}

bool AllExist(const std::vector<std::string>& paths) {
  std::error_code error;
  for (const std::string& path : paths) {
    if (!std::filesystem::exists(path, error)) return false;
  }
  return true;
}

// Runs `kiln ARGUMENTS` with its output in `log_path`; the error says how it
// ended and gives its last line.
Status RunKilnCommand(const RunOptions& options, const std::vector<std::string>& arguments, const std::string& log_path,
                      bool echo) {
  ChildOptions child;
  child.argv = {options.executable};
  child.argv.insert(child.argv.end(), options.global_arguments.begin(), options.global_arguments.end());
  child.argv.insert(child.argv.end(), arguments.begin(), arguments.end());
  std::string command_line;
  for (const std::string& argument : child.argv) command_line += (command_line.empty() ? "" : " ") + argument;
  LogDebug("running " + command_line);
  auto wait_status = RunChildTeed(child, log_path, echo ? STDERR_FILENO : -1);
  if (!wait_status.ok()) return wait_status.status();
  const std::string failure = DescribeExit(*wait_status);
  if (failure.empty()) return Status::OK();
  const std::string last = LastLineOf(log_path);
  return Status::IOError(failure + (last.empty() ? "" : ": " + last));
}

// `kiln train --check` on the train stage's options; the error points at the
// key its message names, or else at the stage.
Status CheckTrainStage(const WorkflowConfig& workflow, const RunLayout& layout, const RunOptions& options) {
  const StageConfig* train = workflow.Find("train");
  if (!train) return Status::OK();
  const std::string log_path = layout.LogPath("train-check");
  Status status = RunKilnCommand(options, TrainCheckArguments(*train, layout), log_path, false);
  if (status.ok()) return status;
  // The first line says what is wrong (a usage error ends with a hint to --help).
  std::string message = status.message();
  if (auto log = ReadFileToString(log_path); log.ok() && !log->empty()) {
    message = log->substr(0, log->find('\n'));
    if (message.rfind("kiln: ", 0) == 0) message = message.substr(6);
  }
  // Point at the key the message names first (kiln train names the key at fault first).
  std::string location = train->location;
  size_t first_mention = std::string::npos;
  for (const StageSetting& setting : train->settings) {
    for (const std::string& mention :
         {"'" + setting.key + "'", FlagForKey(setting.key) + "=", FlagForKey(setting.key) + ":"}) {
      const size_t at = message.find(mention);
      if (at < first_mention) {
        first_mention = at;
        location = setting.location;
      }
    }
  }
  return Status::InvalidArgument(location + ": stage 'train': " + message);
}

class Runner {
 public:
  Runner(const WorkflowConfig& workflow, const RunOptions& options, std::string run_directory)
      : workflow_(workflow), options_(options), layout_(std::move(run_directory)) {}

  Result<RunSummary> Run();

 private:
  Status Prepare();
  // Runs or skips stage `index`; fills its outcome.
  Status RunStage(size_t index, bool forced);
  Status WriteSummary();
  // The kiln version and the stamp of the executable that runs `stage`, so
  // that a rebuilt kiln re-runs the stages it implements.
  Result<std::string> BuildOf(const std::string& stage) const;

  const WorkflowConfig& workflow_;
  const RunOptions& options_;
  RunLayout layout_;
  RunSummary summary_;                               // Filled as stages finish.
  std::map<std::string, std::string> fingerprints_;  // Stage -> hash, for the stages after it.
};

Result<std::string> Runner::BuildOf(const std::string& stage) const {
  std::string executable = options_.executable;
  if (StageSpecs()[StageIndex(stage)].runs_in_torch_executable) {
    executable = (std::filesystem::path(executable).parent_path() / "kiln-torch").string();
  }
  auto stamp = StampFile(executable);
  if (!stamp.ok()) return stamp.status().WithContext("stage '" + stage + "'");
  return options_.kiln_version + " (" + executable + " " + *stamp + ")";
}

Status Runner::Prepare() {
  for (const char* directory : {"logs", "stages", "artifacts"}) {
    Status status = MakeDirectory(layout_.run_directory() + "/" + directory);
    if (!status.ok()) return status;
  }
  std::string copy = workflow_.text;
  for (const std::string& override_text : workflow_.overrides) copy += "\n# kiln run --set " + override_text;
  if (!workflow_.overrides.empty()) copy += "\n";
  Status status = WriteFileAtomically(layout_.WorkflowCopyPath(), copy);
  if (status.ok()) status = CheckTrainStage(workflow_, layout_, options_);
  return status;
}

Status Runner::RunStage(size_t index, bool forced) {
  const StageConfig& stage = workflow_.stages[index];
  StageOutcome& outcome = summary_.stages[index];
  const std::string progress =
      "[" + std::to_string(index + 1) + "/" + std::to_string(workflow_.stages.size()) + "] " + stage.name + ": ";
  auto plan = PlanStage(stage, layout_);
  if (!plan.ok()) return plan.status();
  std::vector<std::pair<std::string, std::string>> upstream;
  for (const std::string& name : plan->upstream) upstream.emplace_back(name, fingerprints_.at(name));
  auto build = BuildOf(stage.name);
  if (!build.ok()) return build.status();
  auto fingerprint = ComputeFingerprint(stage.name, *build, stage.CanonicalText(), upstream, plan->input_paths);
  if (!fingerprint.ok()) return fingerprint.status();
  fingerprints_[stage.name] = fingerprint->hash;
  const std::string record = layout_.RecordPath(stage.name);
  if (!forced && RecordedHash(record) == fingerprint->hash && AllExist(plan->outputs)) {
    outcome.status = StageStatus::kSkipped;
    LogInfo(progress + "skipped (unchanged since its last run)");
  } else {
    // Nothing of an earlier run may survive a failure and pass for this one's.
    Status status = RemoveAll(record);
    if (status.ok()) status = RemoveAll(layout_.ArtifactDirectory(stage.name));
    if (status.ok()) status = MakeDirectory(layout_.ArtifactDirectory(stage.name));
    if (!status.ok()) return status;
    LogInfo(progress + "running (log: " + outcome.log_path + ")");
    const auto started = std::chrono::steady_clock::now();
    status = RunKilnCommand(options_, plan->arguments, outcome.log_path, options_.echo);
    outcome.seconds = SecondsSince(started);
    if (!status.ok()) {
      outcome.status = StageStatus::kFailed;
      return Status::IOError("stage '" + stage.name + "' failed (" + status.message() + "); log: " + outcome.log_path);
    }
    char text[64];
    std::snprintf(text, sizeof(text), "done in %.1f s", outcome.seconds);
    LogInfo(progress + text);
    outcome.status = StageStatus::kRan;
    status = WriteFileAtomically(record, FingerprintJson(*fingerprint, outcome.seconds));
    if (!status.ok()) return status;
  }
  if (!plan->figures_path.empty()) {
    auto figures = ReadFigures(plan->figures_path);
    if (!figures.ok()) return figures.status().WithContext("stage '" + stage.name + "'");
    outcome.figures = std::move(*figures);
  }
  return Status::OK();
}

Status Runner::WriteSummary() {
  ComputeOverallFigures(&summary_);
  return WriteFileAtomically(layout_.SummaryPath(), SummaryJson(summary_));
}

Result<RunSummary> Runner::Run() {
  const auto started = std::chrono::steady_clock::now();
  int from = -1;
  if (!options_.from_stage.empty()) {
    for (size_t i = 0; i < workflow_.stages.size(); ++i) {
      if (workflow_.stages[i].name == options_.from_stage) from = static_cast<int>(i);
    }
    if (from < 0) {
      std::string names;
      for (const StageConfig& stage : workflow_.stages) names += (names.empty() ? "" : ", ") + stage.name;
      return Status::InvalidArgument("--from " + options_.from_stage + ": " + workflow_.path +
                                     " has no such stage (its stages: " + names + ")");
    }
  }
  summary_.workflow = workflow_.name;
  summary_.workflow_path = workflow_.path;
  summary_.overrides = workflow_.overrides;
  summary_.run_directory = layout_.run_directory();
  for (const StageConfig& stage : workflow_.stages) {
    summary_.stages.push_back({stage.name, StageStatus::kNotRun, 0, {}, layout_.LogPath(stage.name)});
  }
  Status status = Prepare();
  if (!status.ok()) return status;
  for (size_t i = 0; i < workflow_.stages.size() && status.ok(); ++i) {
    status = RunStage(i, from >= 0 && static_cast<int>(i) >= from);
  }
  summary_.seconds = SecondsSince(started);
  Status written = WriteSummary();
  if (!status.ok()) return status;
  if (!written.ok()) return written;
  return summary_;
}

}  // namespace

Result<RunSummary> RunWorkflow(const WorkflowConfig& workflow, const RunOptions& options) {
  std::string run_directory = options.run_directory;
  if (run_directory.empty()) run_directory = workflow.out.empty() ? "runs/" + workflow.name : workflow.out;
  Runner runner(workflow, options, run_directory);
  return runner.Run();
}

}  // namespace kiln::workflow
