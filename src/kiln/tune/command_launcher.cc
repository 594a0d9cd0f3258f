#include "kiln/tune/command_launcher.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simdjson.h>

#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "kiln/core/child_process.h"
#include "kiln/core/file.h"
#include "kiln/io/json_format.h"

extern char** environ;

namespace kiln::tune {

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

namespace {

// Reads the complete lines added to the intermediate file since `offset`.
class IntermediateReader {
 public:
  // `json_key` empty: "STEP VALUE" or "VALUE" lines; else JSON object lines.
  IntermediateReader(std::string path, std::string json_key) : path_(std::move(path)), json_key_(std::move(json_key)) {}
  // (step, value) pairs; a line with only a value takes the next step.
  std::vector<std::pair<int64_t, double>> ReadNew() {
    std::vector<std::pair<int64_t, double>> reports;
    std::ifstream in(path_);
    if (!in) return reports;
    in.seekg(offset_);
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // A partial last line: wait for its newline.
      offset_ += static_cast<std::streamoff>(line.size() + 1);
      if (json_key_.empty() ? ParseNumbers(line, &reports) : ParseJson(line, &reports)) {
        next_step_ = reports.back().first + 1;
      }
    }
    return reports;
  }

 private:
  // Lines that are not reports are ignored: they are the trial's own business.
  bool ParseNumbers(const std::string& line, std::vector<std::pair<int64_t, double>>* reports) const {
    std::istringstream fields(line);
    double first = 0, second = 0;
    if (!(fields >> first)) return false;
    if (fields >> second) reports->emplace_back(static_cast<int64_t>(first), second);
    else reports->emplace_back(next_step_, first);
    return true;
  }

  bool ParseJson(const std::string& line, std::vector<std::pair<int64_t, double>>* reports) {
    simdjson::dom::element root;
    int64_t step = 0;
    double value = 0;
    if (parser_.parse(line).get(root) || root["step"].get(step) || root[json_key_].get(value)) return false;
    reports->emplace_back(step, value);
    return true;
  }

  std::string path_;
  std::string json_key_;           // See the constructor.
  simdjson::dom::parser parser_;   // For JSON lines.
  std::streamoff offset_ = 0;      // Bytes consumed.
  int64_t next_step_ = 0;          // Step for value-only lines.
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

std::string ParamsJson(const SearchSpace& space, const std::vector<std::pair<std::string, std::string>>& params) {
  std::string json = "{";
  for (const auto& [name, text] : params) {
    if (json.size() > 1) json += ", ";
    AppendJsonString(&json, name);
    json += ": ";
    int index = space.IndexOf(name);
    bool categorical = index < 0 || space.parameter(index).type == ParameterType::kCategorical;
    if (categorical) AppendJsonString(&json, text);
    else json += text;
  }
  return json + "}";
}

Result<std::vector<double>> ParseResultJson(const std::string& text, const std::vector<MetricSpec>& metrics) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto error = parser.parse(text).get(root);
  if (error) return Status::InvalidArgument(std::string("the result is not JSON (") + simdjson::error_message(error) + ")");
  simdjson::dom::object object;
  if (root.get(object)) return Status::InvalidArgument("the result is not a JSON object");
  std::vector<double> values;
  for (const MetricSpec& metric : metrics) {
    simdjson::dom::element value;
    if (object[metric.name].get(value)) return Status::InvalidArgument("the result has no metric '" + metric.name + "'");
    double number = 0;
    if (value.get(number)) return Status::InvalidArgument("metric '" + metric.name + "' in the result is not a number");
    if (!std::isfinite(number)) return Status::InvalidArgument("metric '" + metric.name + "' is not finite");
    values.push_back(number);
  }
  return values;
}

namespace {

// Where one trial's files live, inside its directory.
struct TrialFiles {
  TrialFiles(const std::string& directory, const CommandLauncherOptions& options)
      : params(directory + "/params.json"),
        result(directory + "/" + options.result_file),
        intermediate(directory + "/" + options.intermediate_file),
        log(directory + "/output.log") {}
  std::string params;        // KILN_PARAMS.
  std::string result;        // KILN_RESULT.
  std::string intermediate;  // KILN_INTERMEDIATE.
  std::string log;           // stdout and stderr.
};

// This process's environment with the KILN_* trial variables set.
std::vector<std::string> TrialEnvironment(const TrialFiles& files, int64_t number) {
  std::vector<std::string> environment = {"KILN_PARAMS=" + files.params, "KILN_RESULT=" + files.result,
                                          "KILN_INTERMEDIATE=" + files.intermediate,
                                          "KILN_TRIAL_NUMBER=" + std::to_string(number)};
  for (char** entry = environ; *entry; ++entry) {
    std::string text = *entry;
    bool ours = false;
    for (const char* name : {"KILN_PARAMS=", "KILN_RESULT=", "KILN_INTERMEDIATE=", "KILN_TRIAL_NUMBER="}) {
      ours = ours || text.rfind(name, 0) == 0;
    }
    if (!ours) environment.push_back(text);
  }
  return environment;
}

// Starts `sh -c command` in a new process group, stdin fed with
// `stdin_text`, stdout and stderr to `log_path`.
Result<pid_t> StartTrial(const std::string& command, std::vector<std::string> environment,
                         const std::string& log_path, const std::string& stdin_text) {
  ChildOptions options;
  options.argv = {"/bin/sh", "-c", command};
  options.environment = std::move(environment);
  options.stdin_text = stdin_text;
  options.output_path = log_path;
  options.new_process_group = true;
  Result<ChildProcess> child = StartChild(options);
  if (!child.ok()) return child.status();
  return child->pid;
}

// How the watch over a running trial ended.
struct WatchResult {
  int wait_status = 0;                     // From waitpid.
  std::string stop_reason;                 // Non-empty when Kiln killed the trial.
  TrialState stop_state = TrialState::kFailed;
};

// Polls the trial until it exits: forwards its intermediate reports, sends
// heartbeats, and kills its process group on timeout or when pruned.
WatchResult WatchTrial(pid_t pid, const std::string& intermediate_path, const CommandLauncherOptions& options,
                       TrialMonitor* monitor) {
  auto start = std::chrono::steady_clock::now();
  auto last_heartbeat = start;
  IntermediateReader reader(intermediate_path, options.intermediate_key);
  WatchResult watch;
  while (true) {
    pid_t done = waitpid(pid, &watch.wait_status, WNOHANG);
    for (const auto& [step, value] : reader.ReadNew()) {
      if (watch.stop_reason.empty() && monitor->Report(step, value)) {
        watch.stop_reason = "pruned at step " + std::to_string(step);
        watch.stop_state = TrialState::kPruned;
      }
    }
    if (done == pid) break;
    if (watch.stop_reason.empty() && options.trial.timeout_s > 0 && Seconds(start) > options.trial.timeout_s) {
      char text[64];
      std::snprintf(text, sizeof(text), "timed out after %g s", options.trial.timeout_s);
      watch.stop_reason = text;
    }
    if (!watch.stop_reason.empty()) {
      kill(-pid, SIGKILL);
      waitpid(pid, &watch.wait_status, 0);
      break;
    }
    if (Seconds(last_heartbeat) > 1) {
      monitor->Heartbeat();
      last_heartbeat = std::chrono::steady_clock::now();
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(options.poll_interval_s));
  }
  kill(-pid, SIGKILL);  // Whatever the trial left running in its group.
  return watch;
}

// The outcome of a trial that exited by itself.
TrialOutcome ReadOutcome(int wait_status, const TrialFiles& files, const std::vector<MetricSpec>& metrics) {
  TrialOutcome outcome;
  std::string failure = DescribeExit(wait_status);
  if (WIFSIGNALED(wait_status)) {
    outcome.reason = failure;
    return outcome;
  }
  if (!failure.empty()) {
    std::string last = LastLineOf(files.log);
    outcome.reason = failure + (last.empty() ? "" : ": " + last);
    return outcome;
  }
  auto text = ReadFileToString(files.result);
  if (!text.ok()) {
    outcome.reason = "no result: the command did not write KILN_RESULT (" + files.result + ")";
    return outcome;
  }
  auto values = ParseResultJson(*text, metrics);
  if (!values.ok()) {
    outcome.reason = values.status().message() + " (" + files.result + ")";
    return outcome;
  }
  outcome.state = TrialState::kComplete;
  outcome.values = std::move(*values);
  return outcome;
}

}  // namespace

TrialOutcome CommandLauncher::Run(const TrialRequest& request, TrialMonitor* monitor) {
  TrialFiles files(request.directory, options_);
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(files.intermediate).parent_path(), error);
  Status written = error ? Status::IOError(files.intermediate + ": " + error.message())
                         : WriteFileAtomically(files.params, request.params_json);
  if (written.ok()) written = WriteFileAtomically(files.intermediate, "");
  std::remove(files.result.c_str());
  std::string command = options_.trial.command;
  for (const auto& [name, text] : request.params) command += " --" + name + " " + ShellQuote(text);
  if (!options_.working_directory.empty()) command = "cd " + ShellQuote(options_.working_directory) + " && " + command;
  Result<pid_t> pid = written.ok() ? StartTrial(command, TrialEnvironment(files, request.number), files.log,
                                                request.params_json)
                                   : Result<pid_t>(written);
  if (!pid.ok()) return TrialOutcome{TrialState::kFailed, {}, pid.status().ToString()};
  WatchResult watch = WatchTrial(*pid, files.intermediate, options_, monitor);
  if (!watch.stop_reason.empty()) return TrialOutcome{watch.stop_state, {}, watch.stop_reason};
  return ReadOutcome(watch.wait_status, files, options_.metrics);
}

std::unique_ptr<TrialLauncher> CommandAdvisor::MakeLauncher() const {
  CommandLauncherOptions options;
  options.trial = config_.trial;
  options.metrics = config_.metrics;
  options.working_directory = working_directory_;
  return std::make_unique<CommandLauncher>(options);
}

}  // namespace kiln::tune
