// `kiln tune` as users run it: a study file with a command trial, the
// database it fills, `kiln tune show`, failures, resume after kill -9.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

using testing::KilnRun;
using testing::RunKiln;

// Branin in sh + awk: reads --x1 V --x2 V --opt V, writes {"value": ...}.
// SLEEP (seconds) slows each trial down; opt=bad fails with exit code 4.
const char* kBraninScript = R"(while [ $# -gt 0 ]; do eval "${1#--}=\"$2\""; shift 2; done
[ "$opt" = bad ] && { echo "bad optimizer" >&2; exit 4; }
sleep ${SLEEP:-0}
awk -v x1="$x1" -v x2="$x2" 'BEGIN { pi = atan2(0, -1);
  a = x2 - 5.1 / (4 * pi * pi) * x1 * x1 + 5 / pi * x1 - 6;
  printf "{\"value\": %.17g, \"cost\": %.17g}\n", a * a + 10 * (1 - 1 / (8 * pi)) * cos(x1) + 10, x1 + 5 }' > "$KILN_RESULT"
)";

std::string StudyFile(int budget, const std::string& metrics, const std::string& choices, const std::string& command) {
  return "study: branin\nmetrics: " + metrics + "\nbudget: " + std::to_string(budget) +
         "\nsampler: default\nparameters:\n"
         "  - {name: x1, type: float, low: -5, high: 10}\n"
         "  - {name: x2, type: float, low: 0, high: 15, log: false}\n"
         "  - {name: opt, type: categorical, choices: " + choices + "}\n"
         "trial:\n  command: " + command + "\n  timeout_s: 600\n";
}

// The history as rows of (column name -> text), from `kiln tune show --csv`.
std::vector<std::map<std::string, std::string>> History(const std::string& database) {
  KilnRun show = RunKiln("tune show " + database + " --csv");
  EXPECT_EQ(show.exit_code, 0) << show.output;
  std::istringstream lines(show.output);
  std::string line;
  std::getline(lines, line);
  std::vector<std::string> header;
  std::istringstream columns(line);
  for (std::string name; std::getline(columns, name, ',');) header.push_back(name);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    auto& row = rows.emplace_back();
    for (size_t c = 0; c < header.size(); ++c) std::getline(fields, row[header[c]], ',');
  }
  return rows;
}

class TuneCliTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteFile(dir_.File("branin.sh"), kBraninScript); }
  std::string Path(const std::string& name) const { return dir_.File(name); }
  TempDir dir_;
};

TEST_F(TuneCliTest, RunsTheStudyFileAndShowsTheBest) {
  WriteFile(Path("branin.yaml"), StudyFile(12, "[{name: value, goal: minimize}]", "[adam, lamb]", "sh branin.sh"));
  KilnRun run = RunKiln("tune " + Path("branin.yaml") + " --db " + Path("branin.db") + " --workers 2 --seed 3");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto rows = History(Path("branin.db"));
  ASSERT_EQ(rows.size(), 12u);
  double best = 1e300;
  std::string best_text;
  for (const auto& row : rows) {
    EXPECT_EQ(row.at("state"), "complete") << row.at("reason");
    double value = std::stod(row.at("value"));
    if (value < best) {
      best = value;
      best_text = row.at("value");
    }
  }
  KilnRun json = RunKiln("tune show " + Path("branin.db") + " --json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find("\"trials\": 12, \"states\": {\"complete\": 12}"), std::string::npos) << json.output;
  EXPECT_NE(json.output.find("\"best\": {\"number\": "), std::string::npos);
  EXPECT_NE(json.output.find("\"values\": {\"value\": " + best_text + "}, \"params\": {\"x1\": "), std::string::npos)
      << best_text << "\n" << json.output.substr(0, 400);
  EXPECT_NE(json.output.find("\"importance\": {\"method\": \"eta-squared"), std::string::npos);
  KilnRun text = RunKiln("tune show " + Path("branin.db"));
  EXPECT_NE(text.output.find("best:\n  trial "), std::string::npos) << text.output;
  // Running the finished study again does nothing more.
  KilnRun again = RunKiln("tune " + Path("branin.yaml") + " --db " + Path("branin.db"));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(History(Path("branin.db")).size(), 12u);
}

TEST_F(TuneCliTest, TwoMetricsGiveAParetoFront) {
  WriteFile(Path("two.yaml"), StudyFile(10, "[{name: value, goal: minimize}, {name: cost, goal: minimize, threshold: 14}]",
                                        "[adam]", "sh branin.sh"));
  KilnRun run = RunKiln("tune " + Path("two.yaml") + " --db " + Path("two.db"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  KilnRun json = RunKiln("tune show " + Path("two.db") + " --json");
  ASSERT_EQ(json.exit_code, 0);
  size_t pareto = json.output.find("\"pareto\": [{\"number\": ");
  ASSERT_NE(pareto, std::string::npos) << json.output;
  // Every front member meets the threshold on cost.
  for (const auto& row : History(Path("two.db"))) {
    std::string member = "{\"number\": " + row.at("number") + ", ";
    size_t at = json.output.find(member, pareto);
    bool on_front = at != std::string::npos && at < json.output.find("\"importance\"");
    if (on_front) {
      EXPECT_LE(std::stod(row.at("cost")), 14.0);
    }
  }
}

TEST_F(TuneCliTest, FailedTrialsAreRecordedAndTheStudyGoesOn) {
  WriteFile(Path("fail.yaml"), StudyFile(8, "[{name: value}]", "[adam, bad]", "sh branin.sh"));
  KilnRun run = RunKiln("tune " + Path("fail.yaml") + " --db " + Path("fail.db") + " --seed 1");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  int complete = 0, failed = 0;
  for (const auto& row : History(Path("fail.db"))) {
    if (row.at("state") == "complete") {
      ++complete;
      EXPECT_EQ(row.at("opt"), "adam");
    } else {
      ++failed;
      EXPECT_EQ(row.at("opt"), "bad");
      EXPECT_EQ(row.at("reason"), "exit code 4: bad optimizer");
    }
  }
  EXPECT_EQ(complete, 8);  // Failed trials do not use up the budget.
  EXPECT_GT(failed, 0);
}

TEST_F(TuneCliTest, ResumesAfterKill9) {
  // Trials long enough that even a loaded machine kills the study midway.
  WriteFile(Path("slow.yaml"), StudyFile(8, "[{name: value}]", "[adam, lamb]", "SLEEP=1.5 sh branin.sh"));
  std::string start = std::string(KILN_BINARY_DIR) + "/kiln tune " + Path("slow.yaml") + " --db " + Path("slow.db") +
                      " --workers 2 > " + Path("first.log") + " 2>&1 & echo $!";
  int exit_code = 0;
  pid_t pid = std::stoi(testing::RunCommand(start, &exit_code));
  // Wait until some trials are done, then kill -9 in the middle of the study.
  // (The database tells, not the log: ctest runs with KILN_LOG=warn.)
  auto completed = [&] {
    int code = 0;
    std::string csv = testing::RunCommand(std::string(KILN_BINARY_DIR) + "/kiln tune show " + Path("slow.db") +
                                              " --csv 2>/dev/null",
                                          &code);
    int count = 0;
    for (size_t at = csv.find(",complete,"); at != std::string::npos; at = csv.find(",complete,", at + 1)) ++count;
    return code == 0 ? count : 0;  // The database may not exist yet.
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);  // However slow the machine.
  while (completed() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto before = History(Path("slow.db"));
  ASSERT_LT(before.size(), 8u) << "the study finished before the kill";
  int running = 0;
  for (const auto& row : before) running += row.at("state") == "running";
  EXPECT_GT(running, 0);

  KilnRun resume = RunKiln("tune " + Path("slow.yaml") + " --db " + Path("slow.db") + " --workers 2");
  ASSERT_EQ(resume.exit_code, 0) << resume.output;
  auto after = History(Path("slow.db"));
  std::set<std::string> numbers;
  int complete = 0, died = 0;
  for (const auto& row : after) {
    numbers.insert(row.at("number"));
    complete += row.at("state") == "complete";
    died += row.at("reason") == "its worker (pid " + std::to_string(pid) + ") died";
  }
  EXPECT_EQ(numbers.size(), after.size());  // No number taken twice.
  EXPECT_EQ(complete, 8);
  EXPECT_EQ(died, running);
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i].at("state") == "complete") {
      EXPECT_EQ(after[i].at("value"), before[i].at("value"));  // Kept as they were.
    }
  }
}

TEST_F(TuneCliTest, BadInputs) {
  WriteFile(Path("bad.yaml"), "study: s\nmetrics: [{name: v}]\nbudget: 3\nparameters:\n  - {name: lr, type: float, low: 0, high: 1, log: true}\ntrial: {command: x}\n");
  KilnRun bad = RunKiln("tune " + Path("bad.yaml"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("bad.yaml:5:5: parameter 'lr': log scale needs positive bounds"), std::string::npos) << bad.output;

  WriteFile(Path("ok.yaml"), StudyFile(2, "[{name: value}]", "[adam]", "sh branin.sh"));
  std::string garbage(5000, '#');
  WriteFile(Path("corrupt.db"), garbage);
  KilnRun corrupt = RunKiln("tune " + Path("ok.yaml") + " --db " + Path("corrupt.db"));
  EXPECT_EQ(corrupt.exit_code, 1);
  EXPECT_NE(corrupt.output.find("Corruption"), std::string::npos) << corrupt.output;
  EXPECT_EQ(ReadFile(Path("corrupt.db")), garbage);
  KilnRun show = RunKiln("tune show " + Path("corrupt.db"));
  EXPECT_EQ(show.exit_code, 1);
  EXPECT_EQ(ReadFile(Path("corrupt.db")), garbage);

  KilnRun advisor = RunKiln("tune --advisor dlrm --data " + Path("prep"));
  EXPECT_EQ(advisor.exit_code, 1);
  EXPECT_NE(advisor.output.find(Path("prep") + " (a kiln prep --recipe dlrm output?)"), std::string::npos)
      << advisor.output;
}

}  // namespace
}  // namespace kiln
