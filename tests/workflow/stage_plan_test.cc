// Each stage's kiln command line, inputs and outputs.
#include "kiln/workflow/stage_plan.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"

namespace kiln::workflow {
namespace {

using Arguments = std::vector<std::string>;

WorkflowConfig Parse(const std::string& text) {
  auto workflow = ParseWorkflow(text, "w.yaml", {});
  EXPECT_TRUE(workflow.ok()) << workflow.status().ToString();
  return workflow.ok() ? *workflow : WorkflowConfig();
}

TEST(StagePlanTest, GenAndPrepReadEachOther) {
  WorkflowConfig workflow = Parse("stages:\n  gen: {rows: 10, seed: 2}\n  prep: {min_freq: 3}\n");
  RunLayout layout("R");
  auto gen = PlanStage(workflow.stages[0], layout);
  ASSERT_TRUE(gen.ok());
  EXPECT_EQ(gen->arguments,
            (Arguments{"gen", "criteo", "--out", "R/artifacts/gen/criteo.tsv", "--rows=10", "--seed=2"}));
  EXPECT_EQ(gen->outputs, (Arguments{"R/artifacts/gen/criteo.tsv", "R/artifacts/gen/criteo.tsv.meta.json"}));
  EXPECT_EQ(gen->figures_path, "R/artifacts/gen/criteo.tsv.meta.json");
  auto prep = PlanStage(workflow.stages[1], layout);
  ASSERT_TRUE(prep.ok());
  EXPECT_EQ(prep->arguments, (Arguments{"prep", "--in", "R/artifacts/gen/criteo.tsv", "--out", "R/artifacts/prep",
                                        "--overwrite", "--recipe=dlrm", "--min-freq=3"}));
  EXPECT_EQ(prep->upstream, (Arguments{"gen"}));
  EXPECT_TRUE(prep->input_paths.empty());
  EXPECT_EQ(prep->outputs, (Arguments{"R/artifacts/prep/_state/state.json"}));
}

TEST(StagePlanTest, PrepFromAnOutsideFileReadsItsDescription) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("in.tsv"), "");
  testing::WriteFile(dir.File("in.tsv.meta.json"), "{\"rows\": 0}");
  WorkflowConfig workflow = Parse("stages:\n  prep: {input: " + dir.File("in.tsv") + ", recipe: dlrm}\n");
  auto prep = PlanStage(workflow.stages[0], RunLayout("R"));
  ASSERT_TRUE(prep.ok());
  EXPECT_TRUE(prep->upstream.empty());
  EXPECT_EQ(prep->input_paths, (Arguments{dir.File("in.tsv")}));
  EXPECT_EQ(prep->figures_path, dir.File("in.tsv.meta.json"));
  EXPECT_EQ(prep->arguments.back(), "--recipe=dlrm");
}

TEST(StagePlanTest, TrainPassesItsKeysOn) {
  WorkflowConfig workflow =
      Parse("stages:\n  gen: {rows: 10}\n  prep: {}\n  train: {emb_dim: 8, shuffle: false, arch_mlp_top: 8-1}\n");
  RunLayout layout("R");
  auto train = PlanStage(workflow.stages[2], layout);
  ASSERT_TRUE(train.ok());
  EXPECT_EQ(train->arguments, (Arguments{"train", "--data", "R/artifacts/prep", "--out", "R/artifacts/train",
                                         "--arch-mlp-top=8-1", "--emb-dim=8", "--shuffle=false"}));
  EXPECT_EQ(train->upstream, (Arguments{"prep"}));
  EXPECT_EQ(TrainCheckArguments(workflow.stages[2], layout),
            (Arguments{"train", "--check", "--data", "R/artifacts/prep", "--out", "R/artifacts/train",
                       "--arch-mlp-top=8-1", "--emb-dim=8", "--shuffle=false"}));
}

TEST(StagePlanTest, EvaluateTakesTheTrainingRunsHeldOutShare) {
  testing::TempDir dir;
  WorkflowConfig workflow = Parse("stages:\n  gen: {rows: 10}\n  prep: {}\n  train: {}\n  evaluate: {}\n");
  RunLayout layout(dir.path());
  // Before train ran there is no config to read it from.
  EXPECT_NE(PlanStage(workflow.stages[3], layout).status().message().find("stage 'evaluate'"), std::string::npos);
  std::filesystem::create_directories(dir.File("artifacts/train"));
  testing::WriteFile(dir.File("artifacts/train/config.yaml"), "emb_dim: 16\neval_fraction: 0.25\n");
  auto evaluate = PlanStage(workflow.stages[3], layout);
  ASSERT_TRUE(evaluate.ok()) << evaluate.status().ToString();
  EXPECT_EQ(evaluate->arguments,
            (Arguments{"evaluate", dir.File("artifacts/train/model"), "--in", dir.File("artifacts/prep"), "--out",
                       dir.File("artifacts/evaluate/metrics.json"), "--eval-fraction=0.25"}));
  EXPECT_EQ(evaluate->upstream, (Arguments{"train", "prep"}));
}

TEST(StagePlanTest, EvaluateAndPredictOnAnOutsideDataset) {
  WorkflowConfig workflow = Parse(
      "stages:\n  gen: {rows: 10}\n  prep: {}\n  train: {}\n  evaluate: {input: held/}\n"
      "  predict: {input: new/, precision: bf16}\n");
  RunLayout layout("R");
  auto evaluate = PlanStage(workflow.stages[3], layout);
  ASSERT_TRUE(evaluate.ok()) << evaluate.status().ToString();
  EXPECT_EQ(evaluate->arguments, (Arguments{"evaluate", "R/artifacts/train/model", "--in", "held/", "--out",
                                            "R/artifacts/evaluate/metrics.json"}));  // Every row of held/.
  EXPECT_EQ(evaluate->upstream, (Arguments{"train"}));
  EXPECT_EQ(evaluate->input_paths, (Arguments{"held/"}));
  auto predict = PlanStage(workflow.stages[4], layout);
  ASSERT_TRUE(predict.ok());
  EXPECT_EQ(predict->arguments, (Arguments{"predict", "R/artifacts/train/model", "--in", "new/", "--out",
                                           "R/artifacts/predict/predictions.parquet", "--metrics",
                                           "R/artifacts/predict/metrics.json", "--precision=bf16"}));
  EXPECT_EQ(predict->outputs,
            (Arguments{"R/artifacts/predict/predictions.parquet", "R/artifacts/predict/metrics.json"}));
}

}  // namespace
}  // namespace kiln::workflow
