#include "kiln/tune/pruner.h"

#include <gtest/gtest.h>

namespace kiln::tune {
namespace {

TrialRecord WithReports(int64_t number, TrialState state, std::vector<std::pair<int64_t, double>> reports) {
  TrialRecord trial;
  trial.number = number;
  trial.state = state;
  trial.intermediate = std::move(reports);
  return trial;
}

TEST(PrunerTest, MedianRule) {
  PrunerOptions options;
  options.startup_trials = 3;
  MedianPruner pruner(options, Goal::kMinimize);
  std::vector<TrialRecord> others = {WithReports(0, TrialState::kComplete, {{0, 1.0}, {1, 0.5}}),
                                     WithReports(1, TrialState::kComplete, {{0, 2.0}, {1, 1.0}}),
                                     WithReports(2, TrialState::kPruned, {{0, 3.0}, {1, 2.0}})};
  // Median at step 1 is 1.0.
  EXPECT_TRUE(pruner.ShouldPrune(WithReports(3, TrialState::kRunning, {{0, 0.1}, {1, 1.5}}), others));
  EXPECT_FALSE(pruner.ShouldPrune(WithReports(3, TrialState::kRunning, {{0, 0.1}, {1, 0.9}}), others));
  // Step 3: the others' latest reports (step 1) count.
  EXPECT_TRUE(pruner.ShouldPrune(WithReports(3, TrialState::kRunning, {{3, 1.2}}), others));
  // Too few finished trials: no pruning.
  others.pop_back();
  EXPECT_FALSE(pruner.ShouldPrune(WithReports(3, TrialState::kRunning, {{1, 9.0}}), others));
  // Maximizing flips the rule.
  options.startup_trials = 2;
  MedianPruner maximize(options, Goal::kMaximize);
  EXPECT_FALSE(maximize.ShouldPrune(WithReports(3, TrialState::kRunning, {{1, 9.0}}), others));
  EXPECT_TRUE(maximize.ShouldPrune(WithReports(3, TrialState::kRunning, {{1, 0.1}}), others));
}

TEST(PrunerTest, MedianWarmup) {
  PrunerOptions options;
  options.startup_trials = 1;
  options.warmup_steps = 5;
  MedianPruner pruner(options, Goal::kMinimize);
  std::vector<TrialRecord> others = {WithReports(0, TrialState::kComplete, {{0, 1.0}, {6, 1.0}})};
  EXPECT_FALSE(pruner.ShouldPrune(WithReports(1, TrialState::kRunning, {{0, 5.0}}), others));
  EXPECT_TRUE(pruner.ShouldPrune(WithReports(1, TrialState::kRunning, {{6, 5.0}}), others));
}

TEST(PrunerTest, AshaKeepsTheBestThirdAtEachRung) {
  PrunerOptions options;
  options.type = "asha";
  options.min_resource = 1;
  options.reduction_factor = 3;
  AshaPruner pruner(options, Goal::kMinimize);
  std::vector<TrialRecord> others;
  for (int i = 0; i < 5; ++i) others.push_back(WithReports(i, TrialState::kComplete, {{1, 1.0 + i}, {3, 0.5 + i}}));
  // Rung 1 with 6 trials keeps 2: values 1 and 2 -> 1.5 goes on, 2.5 stops.
  EXPECT_FALSE(pruner.ShouldPrune(WithReports(9, TrialState::kRunning, {{0, 9.0}, {1, 1.5}}), others));
  EXPECT_TRUE(pruner.ShouldPrune(WithReports(9, TrialState::kRunning, {{0, 9.0}, {1, 2.5}}), others));
  // Between rungs nothing is decided.
  EXPECT_FALSE(pruner.ShouldPrune(WithReports(9, TrialState::kRunning, {{1, 1.5}, {2, 99.0}}), others));
  // Rung 3: 0.5, 1.5 kept of six.
  EXPECT_TRUE(pruner.ShouldPrune(WithReports(9, TrialState::kRunning, {{1, 1.5}, {2, 1.0}, {3, 1.6}}), others));
  EXPECT_FALSE(pruner.ShouldPrune(WithReports(9, TrialState::kRunning, {{1, 1.5}, {2, 1.0}, {3, 1.4}}), others));
}

TEST(PrunerTest, Factory) {
  PrunerOptions options;
  EXPECT_EQ(MakePruner(options, Goal::kMinimize)->get(), nullptr);
  options.type = "asha";
  EXPECT_NE(MakePruner(options, Goal::kMinimize)->get(), nullptr);
  options.type = "hyperband";
  EXPECT_FALSE(MakePruner(options, Goal::kMinimize).ok());
}

}  // namespace
}  // namespace kiln::tune
