#include "kiln/tune/study_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "kiln/tune/basic_samplers.h"
#include "testing/temp_dir.h"

namespace kiln::tune {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::TempDir;
using kiln::testing::WriteFile;

struct Study {
  SearchSpace space;
  std::vector<MetricSpec> metrics;
};

Study MakeStudy() {
  ParameterSpec x;
  x.name = "x";
  ParameterSpec opt;
  opt.name = "opt";
  opt.type = ParameterType::kCategorical;
  opt.choices = {"adam", "lamb"};
  std::vector<MetricSpec> metrics(1);
  metrics[0].name = "value";
  return {*SearchSpace::Make({x, opt}, {}), metrics};
}

SuggestFunction RandomSuggest(const Study& study) {
  return [&study](const std::vector<TrialRecord>& history, int64_t number) {
    SampleContext context{&study.space, &study.metrics, &history, 1, number, 0};
    return RandomSampler().Suggest(context);
  };
}

TEST(StudyStoreTest, StoresTrialsParamsValuesAndReports) {
  TempDir dir;
  Study study = MakeStudy();
  auto store = StudyStore::Open(dir.File("s.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto info = (*store)->CreateOrLoadStudy("s", "definition");
  ASSERT_TRUE(info.ok());
  auto trial = (*store)->ReserveTrial(*info, study.space, study.metrics, {2, 60}, RandomSuggest(study));
  ASSERT_TRUE(trial.ok() && trial->has_value());
  EXPECT_EQ((**trial).number, 0);
  ASSERT_TRUE((*store)->ReportIntermediate(*info, 0, 1, 0.5).ok());
  ASSERT_TRUE((*store)->ReportIntermediate(*info, 0, 2, 0.25).ok());
  ASSERT_TRUE((*store)->FinishTrial(*info, 0, TrialState::kComplete, study.metrics, {0.125}, "").ok());
  auto second = (*store)->ReserveTrial(*info, study.space, study.metrics, {2, 60}, RandomSuggest(study));
  ASSERT_TRUE((*store)->FinishTrial(*info, 1, TrialState::kFailed, study.metrics, {}, "exit code 3").ok());
  EXPECT_FALSE((*store)->FinishTrial(*info, 1, TrialState::kComplete, study.metrics, {1}, "").ok());

  auto reopened = StudyStore::Open(dir.File("s.db"));
  ASSERT_TRUE(reopened.ok());
  auto again = (*reopened)->CreateOrLoadStudy("s", "definition");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, info->id);
  EXPECT_FALSE((*reopened)->CreateOrLoadStudy("s", "another definition").ok());
  auto trials = (*reopened)->LoadTrials(*again, study.space, study.metrics);
  ASSERT_TRUE(trials.ok());
  ASSERT_EQ(trials->size(), 2u);
  EXPECT_EQ((*trials)[0].state, TrialState::kComplete);
  EXPECT_EQ((*trials)[0].values, (std::vector<double>{0.125}));
  EXPECT_EQ((*trials)[0].params[0], (**trial).params[0]);
  EXPECT_EQ((*trials)[0].params[1], (**trial).params[1]);
  EXPECT_EQ((*trials)[0].intermediate, (std::vector<std::pair<int64_t, double>>{{1, 0.5}, {2, 0.25}}));
  EXPECT_EQ((*trials)[1].state, TrialState::kFailed);
  EXPECT_EQ((*trials)[1].reason, "exit code 3");
  // The failed trial does not count: one more fits the budget of 2.
  auto third = (*reopened)->ReserveTrial(*again, study.space, study.metrics, {2, 60}, RandomSuggest(study));
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((**third).number, 2);
  auto none = (*reopened)->ReserveTrial(*again, study.space, study.metrics, {2, 60}, RandomSuggest(study));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(StudyStoreTest, SeveralProcessesShareOneStudy) {
  TempDir dir;
  std::string path = dir.File("shared.db");
  ASSERT_TRUE(StudyStore::Open(path).ok());
  constexpr int kProcesses = 4;
  constexpr int kBudget = 60;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    if (pid == 0) {
      Study study = MakeStudy();
      auto store = StudyStore::Open(path);
      if (!store.ok()) _exit(10);
      auto info = (*store)->CreateOrLoadStudy("s", "definition");
      if (!info.ok()) _exit(11);
      while (true) {
        auto trial = (*store)->ReserveTrial(*info, study.space, study.metrics, {kBudget, 60}, RandomSuggest(study));
        if (!trial.ok()) _exit(12);
        if (!trial->has_value()) break;
        double value = (**trial).params[0] + getpid() % 7;
        if (!(*store)->FinishTrial(*info, (**trial).number, TrialState::kComplete, study.metrics, {value}, "").ok()) _exit(13);
      }
      _exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child exit " << WEXITSTATUS(status);
  }
  Study study = MakeStudy();
  auto store = StudyStore::Open(path);
  auto info = (*store)->CreateOrLoadStudy("s", "definition");
  auto trials = (*store)->LoadTrials(*info, study.space, study.metrics);
  ASSERT_TRUE(trials.ok());
  ASSERT_EQ(trials->size(), static_cast<size_t>(kBudget));  // None lost, none beyond the budget.
  std::set<int64_t> numbers;
  for (const TrialRecord& trial : *trials) {
    numbers.insert(trial.number);
    EXPECT_EQ(trial.state, TrialState::kComplete);
    EXPECT_EQ(trial.values.size(), 1u);
  }
  EXPECT_EQ(numbers.size(), static_cast<size_t>(kBudget));  // None duplicated.
  EXPECT_EQ(*numbers.rbegin(), kBudget - 1);
}

TEST(StudyStoreTest, DeadWorkersTrialsAreFailed) {
  TempDir dir;
  std::string path = dir.File("dead.db");
  Study study = MakeStudy();
  pid_t pid = fork();
  if (pid == 0) {
    auto store = StudyStore::Open(path);
    auto info = (*store)->CreateOrLoadStudy("s", "definition");
    auto trial = (*store)->ReserveTrial(*info, study.space, study.metrics, {5, 60}, RandomSuggest(study));
    _exit(trial.ok() && trial->has_value() ? 0 : 1);  // Dies with its trial running.
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  auto store = StudyStore::Open(path);
  auto info = (*store)->CreateOrLoadStudy("s", "definition");
  auto trial = (*store)->ReserveTrial(*info, study.space, study.metrics, {5, 60}, RandomSuggest(study));
  ASSERT_TRUE(trial.ok() && trial->has_value());
  EXPECT_EQ((**trial).number, 1);
  auto trials = (*store)->LoadTrials(*info, study.space, study.metrics);
  EXPECT_EQ((*trials)[0].state, TrialState::kFailed);
  EXPECT_EQ((*trials)[0].reason, "its worker (pid " + std::to_string(pid) + ") died");
  // A live worker silent past the grace period is failed too.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto next = (*store)->ReserveTrial(*info, study.space, study.metrics, {5, 0.001}, RandomSuggest(study));
  ASSERT_TRUE(next.ok());
  trials = (*store)->LoadTrials(*info, study.space, study.metrics);
  EXPECT_EQ((*trials)[1].state, TrialState::kFailed);
  EXPECT_EQ((*trials)[1].reason.rfind("no heartbeat for", 0), 0u) << (*trials)[1].reason;
}

TEST(StudyStoreTest, CorruptFileIsReportedAndLeftAlone) {
  TempDir dir;
  std::string path = dir.File("bad.db");
  std::string garbage(8192, 'x');
  WriteFile(path, garbage);
  auto store = StudyStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find(path), std::string::npos);
  EXPECT_EQ(ReadFile(path), garbage);
}

TEST(StudyStoreTest, ForeignSqliteFileIsReportedAndLeftAlone) {
  TempDir dir;
  std::string path = dir.File("other.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE people(name TEXT); INSERT INTO people VALUES ('ada');", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  std::string before = ReadFile(path);
  auto store = StudyStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(ReadFile(path), before);
}

}  // namespace
}  // namespace kiln::tune
