// Overall figures come from the right stages; the JSON and table show them.
#include "kiln/workflow/run_summary.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace kiln::workflow {
namespace {

RunSummary FiveStages() {
  RunSummary summary;
  summary.workflow = "demo";
  summary.workflow_path = "w.yaml";
  summary.overrides = {"gen.rows=100"};
  summary.run_directory = "runs/demo";
  summary.seconds = 12.5;
  summary.stages = {
      {"gen", StageStatus::kSkipped, 0, {{"rows", 100}, {"bayes_auc", 0.8}}, "runs/demo/logs/gen.log"},
      {"prep", StageStatus::kSkipped, 0, {}, "runs/demo/logs/prep.log"},
      {"train", StageStatus::kRan, 9, {{"auc", 0.70}, {"train_samples_per_s", 5000}}, "runs/demo/logs/train.log"},
      {"evaluate", StageStatus::kRan, 1, {{"auc", 0.75}, {"rows", 10}}, "runs/demo/logs/evaluate.log"},
      {"predict", StageStatus::kRan, 2, {{"rows", 100}, {"samples_per_s", 80000}}, "runs/demo/logs/predict.log"},
  };
  return summary;
}

TEST(RunSummaryTest, OverallFiguresComeFromTheirStages) {
  RunSummary summary = FiveStages();
  ComputeOverallFigures(&summary);
  EXPECT_EQ(summary.rows, 100);
  EXPECT_EQ(summary.bayes_auc, 0.8);
  EXPECT_EQ(summary.auc, 0.75);  // evaluate's, not train's.
  EXPECT_EQ(summary.train_samples_per_s, 5000);
  EXPECT_EQ(summary.predict_samples_per_s, 80000);
}

TEST(RunSummaryTest, WithoutEvaluateTheAucIsTrains) {
  RunSummary summary = FiveStages();
  summary.stages.erase(summary.stages.begin() + 3);
  summary.stages.erase(summary.stages.begin());
  ComputeOverallFigures(&summary);
  EXPECT_EQ(summary.auc, 0.70);
  EXPECT_TRUE(std::isnan(summary.bayes_auc));
  EXPECT_EQ(summary.rows, 100);  // From predict.
  EXPECT_EQ(SummaryJson(summary).find("bayes_auc"), std::string::npos);
}

TEST(RunSummaryTest, JsonReadsBack) {
  testing::TempDir dir;
  RunSummary summary = FiveStages();
  ComputeOverallFigures(&summary);
  const std::string json = SummaryJson(summary);
  testing::WriteFile(dir.File("summary.json"), json);
  auto figures = ReadFigures(dir.File("summary.json"));
  ASSERT_TRUE(figures.ok()) << figures.status().ToString();
  Figures expected = {{"rows", 100},
                      {"auc", 0.75},
                      {"bayes_auc", 0.8},
                      {"auc_gap_to_bayes", 0.8 - 0.75},
                      {"train_samples_per_s", 5000},
                      {"predict_samples_per_s", 80000},
                      {"seconds", 12.5}};
  ASSERT_EQ(figures->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*figures)[i].first, expected[i].first);
    EXPECT_NEAR((*figures)[i].second, expected[i].second, 1e-9);
  }
  EXPECT_NE(json.find("{\"name\": \"gen\", \"status\": \"skipped\", \"seconds\": 0, \"log\": "
                      "\"runs/demo/logs/gen.log\", \"figures\": {\"rows\": 100, \"bayes_auc\": 0.8}}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"overrides\": [\"gen.rows=100\"]"), std::string::npos) << json;
}

TEST(RunSummaryTest, TableShowsTheGapToBayes) {
  RunSummary summary = FiveStages();
  ComputeOverallFigures(&summary);
  EXPECT_EQ(SummaryTable(summary),
            "  rows                 100\n"
            "  AUC                  0.7500   (bayes_auc 0.8000, gap 0.0500)\n"
            "  train samples/s      5000\n"
            "  predict samples/s    80000\n");
}

TEST(RunSummaryTest, ReadFiguresSkipsNonNumbers) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("m.json"), "{\"auc\": 0.5, \"precision\": \"fp32\", \"steps\": 3, \"x\": null}");
  auto figures = ReadFigures(dir.File("m.json"));
  ASSERT_TRUE(figures.ok());
  ASSERT_EQ(figures->size(), 2u);
  EXPECT_EQ((*figures)[1], std::make_pair(std::string("steps"), 3.0));
  testing::WriteFile(dir.File("bad.json"), "[1]");
  EXPECT_FALSE(ReadFigures(dir.File("bad.json")).ok());
}

}  // namespace
}  // namespace kiln::workflow
