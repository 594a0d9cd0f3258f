#include "kiln/tune/study_report.h"

#include <gtest/gtest.h>

namespace kiln::tune {
namespace {

StudyConfig TwoParameterStudy(std::vector<MetricSpec> metrics) {
  ParameterSpec x;
  x.name = "x";
  ParameterSpec opt;
  opt.name = "opt";
  opt.type = ParameterType::kCategorical;
  opt.choices = {"adam", "sgd"};
  StudyConfig config;
  config.name = "r";
  config.metrics = std::move(metrics);
  config.space = *SearchSpace::Make({x, opt}, {});
  return config;
}

TrialRecord Trial(int64_t number, TrialState state, std::vector<double> params, std::vector<double> values) {
  TrialRecord trial;
  trial.number = number;
  trial.state = state;
  trial.params = std::move(params);
  trial.values = std::move(values);
  return trial;
}

TEST(StudyReportTest, BestRespectsGoalAndThreshold) {
  std::vector<MetricSpec> metrics(2);
  metrics[0].name = "auc";
  metrics[0].goal = Goal::kMaximize;
  metrics[1].name = "memory";
  metrics[1].constraint = true;
  metrics[1].threshold = 100;
  StudyConfig config = TwoParameterStudy(metrics);
  StudyReport report = MakeStudyReport(
      config, {Trial(0, TrialState::kComplete, {0.1, 0}, {0.70, 50}), Trial(1, TrialState::kComplete, {0.2, 1}, {0.90, 150}),
               Trial(2, TrialState::kComplete, {0.3, 0}, {0.80, 90}), Trial(3, TrialState::kFailed, {0.4, 1}, {})});
  ASSERT_EQ(report.best, (std::vector<size_t>{2}));  // Trial 1 breaks the memory constraint.
  std::string json = ReportJson(report);
  EXPECT_NE(json.find("\"trials\": 4, \"states\": {\"complete\": 3, \"failed\": 1}, \"best\": {\"number\": 2, "
                      "\"state\": \"complete\", \"values\": {\"auc\": 0.8, \"memory\": 90}, \"params\": {\"x\": 0.3, "
                      "\"opt\": \"adam\"}}"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find("\"pareto\""), std::string::npos);
  EXPECT_EQ(ReportCsv(report),
            "number,state,auc,memory,x,opt,reason\n"
            "0,complete,0.7,50,0.1,adam,\n"
            "1,complete,0.9,150,0.2,sgd,\n"
            "2,complete,0.8,90,0.3,adam,\n"
            "3,failed,,,0.4,sgd,\n");
}

TEST(StudyReportTest, ParetoFrontWithinThresholds) {
  std::vector<MetricSpec> metrics(2);
  metrics[0].name = "loss";
  metrics[1].name = "seconds";
  metrics[1].threshold = 10;
  StudyConfig config = TwoParameterStudy(metrics);
  StudyReport report = MakeStudyReport(config, {Trial(0, TrialState::kComplete, {0.1, 0}, {1, 9}),
                                                Trial(1, TrialState::kComplete, {0.2, 0}, {2, 2}),
                                                Trial(2, TrialState::kComplete, {0.3, 0}, {3, 3}),
                                                Trial(3, TrialState::kComplete, {0.4, 0}, {0.5, 20})});
  EXPECT_EQ(report.best, (std::vector<size_t>{0, 1}));  // 2 is dominated; 3 misses the threshold.
  EXPECT_NE(ReportJson(report).find("\"pareto\": [{\"number\": 0, "), std::string::npos);
}

TEST(StudyReportTest, ImportanceFindsTheParameterThatMatters) {
  std::vector<MetricSpec> metrics(1);
  metrics[0].name = "loss";
  StudyConfig config = TwoParameterStudy(metrics);
  std::vector<TrialRecord> trials;
  for (int i = 0; i < 40; ++i) {
    double x = (i * 7 % 40) / 40.0;
    double opt = i % 2;
    trials.push_back(Trial(i, TrialState::kComplete, {x, opt}, {opt * 10 + x}));  // opt dominates.
  }
  StudyReport report = MakeStudyReport(config, trials);
  ASSERT_EQ(report.importances.size(), 2u);
  EXPECT_EQ(report.importances[1].first, "opt");
  EXPECT_GT(report.importances[1].second, 0.7);
  EXPECT_NEAR(report.importances[0].second + report.importances[1].second, 1.0, 1e-12);
}

}  // namespace
}  // namespace kiln::tune
