#include "kiln/tune/command_launcher.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "testing/temp_dir.h"

namespace kiln::tune {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::TempDir;

// Records reports; prunes once a value exceeds prune_above.
class RecordingMonitor : public TrialMonitor {
 public:
  bool Report(int64_t step, double value) override {
    reports.emplace_back(step, value);
    return value > prune_above;
  }
  void Heartbeat() override { ++heartbeats; }

  std::vector<std::pair<int64_t, double>> reports;
  double prune_above = 1e300;
  int heartbeats = 0;
};

class CommandLauncherTest : public ::testing::Test {
 protected:
  void SetUp() override { signal(SIGPIPE, SIG_IGN); }

  // Runs `script` as the trial: it gets the "--name value" flags as "$@".
  TrialOutcome Run(const std::string& script, double timeout_s = 0, RecordingMonitor* monitor = nullptr) {
    kiln::testing::WriteFile(dir_.File("trial.sh"), script + "\n");
    CommandLauncherOptions options;
    options.trial.command = "sh trial.sh";
    options.trial.timeout_s = timeout_s;
    options.metrics.resize(2);
    options.metrics[0].name = "loss";
    options.metrics[1].name = "seconds";
    options.working_directory = dir_.path();
    TrialRequest request;
    request.number = 3;
    request.params = {{"lr", "0.01"}, {"opt", "adam"}};
    request.params_json = R"({"lr": 0.01, "opt": "adam"})";
    request.directory = dir_.File("trial3");
    std::filesystem::create_directories(request.directory);
    RecordingMonitor own;
    return CommandLauncher(options).Run(request, monitor ? monitor : &own);
  }

  TempDir dir_;
};

TEST_F(CommandLauncherTest, PassesParamsThreeWaysAndReadsTheResult) {
  // Flags, stdin and KILN_PARAMS must all carry the same parameters.
  TrialOutcome outcome = Run(
      "test \"$*\" = \"--lr 0.01 --opt adam\" || exit 7\n"
      "test \"$(cat)\" = '{\"lr\": 0.01, \"opt\": \"adam\"}' || exit 8\n"
      "grep -q '\"opt\": \"adam\"' \"$KILN_PARAMS\" || exit 9\n"
      "test \"$KILN_TRIAL_NUMBER\" = 3 || exit 10\n"
      "echo '{\"loss\": 0.25, \"seconds\": 12, \"extra\": \"ignored\"}' > \"$KILN_RESULT\"");
  ASSERT_EQ(outcome.state, TrialState::kComplete) << outcome.reason;
  EXPECT_EQ(outcome.values, (std::vector<double>{0.25, 12}));
  EXPECT_NE(ReadFile(dir_.File("trial3/params.json")).find("\"lr\": 0.01"), std::string::npos);
}

TEST_F(CommandLauncherTest, NonZeroExitFailsWithTheLastOutputLine) {
  TrialOutcome outcome = Run("echo starting; echo 'CUDA out of memory' >&2; exit 3");
  EXPECT_EQ(outcome.state, TrialState::kFailed);
  EXPECT_EQ(outcome.reason, "exit code 3: CUDA out of memory");
}

TEST_F(CommandLauncherTest, TimeoutKillsTheTrial) {
  TrialOutcome outcome = Run("sleep 30", 0.3);
  EXPECT_EQ(outcome.state, TrialState::kFailed);
  EXPECT_EQ(outcome.reason, "timed out after 0.3 s");
}

TEST_F(CommandLauncherTest, MissingGarbageAndIncompleteResultsFail) {
  TrialOutcome missing = Run("true");
  EXPECT_EQ(missing.state, TrialState::kFailed);
  EXPECT_EQ(missing.reason.rfind("no result: the command did not write KILN_RESULT", 0), 0u) << missing.reason;
  TrialOutcome garbage = Run("echo 'loss=0.5' > \"$KILN_RESULT\"");
  EXPECT_EQ(garbage.state, TrialState::kFailed);
  EXPECT_EQ(garbage.reason.rfind("the result is not JSON", 0), 0u) << garbage.reason;
  TrialOutcome partial = Run("echo '{\"loss\": 0.5}' > \"$KILN_RESULT\"");
  EXPECT_EQ(partial.reason.rfind("the result has no metric 'seconds'", 0), 0u) << partial.reason;
  TrialOutcome text = Run("echo '{\"loss\": \"low\", \"seconds\": 1}' > \"$KILN_RESULT\"");
  EXPECT_EQ(text.reason.rfind("metric 'loss' in the result is not a number", 0), 0u) << text.reason;
  TrialOutcome killed = Run("kill -9 $PPID");  // The shell that runs the command.
  EXPECT_EQ(killed.reason, "killed by signal 9");
}

TEST_F(CommandLauncherTest, IntermediateReportsReachTheMonitorAndPrune) {
  RecordingMonitor monitor;
  TrialOutcome outcome = Run(
      "echo 0.9 >> \"$KILN_INTERMEDIATE\"; echo '5 0.7' >> \"$KILN_INTERMEDIATE\"; echo 0.6 >> \"$KILN_INTERMEDIATE\";"
      "echo '{\"loss\": 0.5, \"seconds\": 1}' > \"$KILN_RESULT\"",
      0, &monitor);
  ASSERT_EQ(outcome.state, TrialState::kComplete) << outcome.reason;
  EXPECT_EQ(monitor.reports, (std::vector<std::pair<int64_t, double>>{{0, 0.9}, {5, 0.7}, {6, 0.6}}));

  RecordingMonitor pruning;
  pruning.prune_above = 1.0;
  outcome = Run("echo 0.5 >> \"$KILN_INTERMEDIATE\"; echo 2.5 >> \"$KILN_INTERMEDIATE\"; sleep 30", 0, &pruning);
  EXPECT_EQ(outcome.state, TrialState::kPruned);
  EXPECT_EQ(outcome.reason, "pruned at step 1");
}

TEST(ResultJsonTest, ParsesMetrics) {
  std::vector<MetricSpec> metrics(1);
  metrics[0].name = "auc";
  EXPECT_EQ(*ParseResultJson(R"({"auc": 0.75})", metrics), (std::vector<double>{0.75}));
  EXPECT_FALSE(ParseResultJson("[0.75]", metrics).ok());
  EXPECT_FALSE(ParseResultJson("", metrics).ok());
}

}  // namespace
}  // namespace kiln::tune
