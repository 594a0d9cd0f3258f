// WORKFLOW.yaml checks: every mistake fails before any work, at its
// file:line:column.
#include "kiln/workflow/workflow_config.h"

#include <gtest/gtest.h>

namespace kiln::workflow {
namespace {

const char* kFull = R"(name: demo
out: runs/demo
stages:
  gen:
    rows: 1000
    seed: 7
  prep:
    recipe: dlrm
    min_freq: 3
  train:
    emb_dim: 16
    batch_size: 256
  evaluate:
  predict:
    precision: bf16
)";

Status ParseError(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return ParseWorkflow(text, "w.yaml", overrides).status();
}

TEST(WorkflowConfigTest, ReadsStagesInOrderWithSortedSettings) {
  auto workflow = ParseWorkflow(kFull, "dir/w.yaml", {});
  ASSERT_TRUE(workflow.ok()) << workflow.status().ToString();
  EXPECT_EQ(workflow->name, "demo");
  EXPECT_EQ(workflow->out, "runs/demo");
  ASSERT_EQ(workflow->stages.size(), 5u);
  const char* names[] = {"gen", "prep", "train", "evaluate", "predict"};
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(workflow->stages[i].name, names[i]);
  EXPECT_EQ(workflow->stages[0].location, "dir/w.yaml:4:3");
  EXPECT_EQ(workflow->stages[2].CanonicalText(), "batch_size: 256\nemb_dim: 16\n");
  EXPECT_EQ(workflow->stages[3].CanonicalText(), "");
  EXPECT_EQ(workflow->Find("prep")->Find("min_freq")->value, "3");
  EXPECT_EQ(workflow->Find("prep")->Find("min_freq")->location, "dir/w.yaml:9:5");
}

TEST(WorkflowConfigTest, NameDefaultsToTheFileStem) {
  auto workflow = ParseWorkflow("stages:\n  gen: {rows: 5}\n", "some/dir/my_flow.yaml", {});
  ASSERT_TRUE(workflow.ok()) << workflow.status().ToString();
  EXPECT_EQ(workflow->name, "my_flow");
  EXPECT_EQ(workflow->out, "");
}

TEST(WorkflowConfigTest, OverridesReplaceAndAddKeys) {
  auto workflow = ParseWorkflow(kFull, "w.yaml", {"gen.rows=300000", "evaluate.eval_fraction=0.25"});
  ASSERT_TRUE(workflow.ok()) << workflow.status().ToString();
  EXPECT_EQ(workflow->Find("gen")->Find("rows")->value, "300000");
  EXPECT_EQ(workflow->Find("evaluate")->Find("eval_fraction")->value, "0.25");
  EXPECT_EQ(workflow->overrides.size(), 2u);
  EXPECT_EQ(workflow->Find("gen")->Find("rows")->location, "--set gen.rows=300000");
  EXPECT_EQ(workflow->Find("gen")->Find("seed")->location, "w.yaml:6:5");
}

TEST(WorkflowConfigTest, OverridesAreCheckedLikeTheFile) {
  EXPECT_EQ(ParseError(kFull, {"gen.rows=many"}).message(),
            "--set gen.rows=many: stage 'gen': 'rows': expected a whole number, not 'many'");
  EXPECT_EQ(ParseError(kFull, {"tune.budget=3"}).message(), "--set tune.budget=3: w.yaml has no stage 'tune'");
  EXPECT_EQ(ParseError(kFull, {"gen_rows=3"}).message(), "--set gen_rows=3: expected STAGE.KEY=VALUE");
}

TEST(WorkflowConfigTest, UnknownTopLevelKey) {
  Status status = ParseError("stages:\n  gen: {rows: 5}\nstagse: 1\n");
  EXPECT_NE(status.message().find("w.yaml:3:1: workflow: unknown key 'stagse'"), std::string::npos) << status.message();
}

TEST(WorkflowConfigTest, UnknownStageKeyNamesTheKnownOnes) {
  Status status = ParseError("stages:\n  gen:\n    rows: 5\n    sed: 7\n");
  EXPECT_EQ(status.message(), "w.yaml:4:5: stage 'gen': 'sed': unknown key (known: rows, seed)");
}

TEST(WorkflowConfigTest, WrongTypes) {
  EXPECT_EQ(ParseError("stages:\n  gen:\n    rows: lots\n").message(),
            "w.yaml:3:5: stage 'gen': 'rows': expected a whole number, not 'lots'");
  EXPECT_EQ(ParseError("stages:\n  gen: {rows: 5}\n  prep:\n    min_freq: [1, 2]\n").message(),
            "w.yaml:4:5: stage 'prep': 'min_freq': expected a single value");
  EXPECT_EQ(ParseError("stages:\n  gen: {rows: 5}\n  prep: {}\n  train: {}\n  evaluate:\n    eval_fraction: tenth\n")
                .message(),
            "w.yaml:6:5: stage 'evaluate': 'eval_fraction': expected a number, not 'tenth'");
  EXPECT_EQ(ParseError("stages:\n  gen: 5\n").message(), "w.yaml:2:3: stage 'gen': expected a mapping");
}

TEST(WorkflowConfigTest, UnknownStage) {
  EXPECT_EQ(ParseError("stages:\n  gen: {rows: 5}\n  serve: {}\n").message(),
            "w.yaml:3:3: unknown stage 'serve' (known: gen, prep, train, evaluate, predict)");
}

TEST(WorkflowConfigTest, StagesOutOfOrder) {
  EXPECT_EQ(ParseError("stages:\n  prep: {input: a.tsv}\n  gen: {rows: 5}\n").message(),
            "w.yaml:3:3: stage 'gen' after 'prep': stages run in the order gen, prep, train, evaluate, predict");
  EXPECT_EQ(ParseError("stages:\n  gen: {rows: 5}\n  gen: {rows: 6}\n").message(),
            "w.yaml:3:3: stage 'gen' after 'gen': stages run in the order gen, prep, train, evaluate, predict");
}

TEST(WorkflowConfigTest, StagesNeedWhatTheyRead) {
  EXPECT_EQ(ParseError("stages:\n  prep: {min_freq: 2}\n").message(),
            "w.yaml:2:3: stage 'prep' needs a 'gen' stage before it");
  EXPECT_EQ(ParseError("stages:\n  gen: {rows: 5}\n  train: {}\n").message(),
            "w.yaml:3:3: stage 'train' needs a 'prep' stage before it");
  EXPECT_EQ(ParseError("stages:\n  gen: {rows: 5}\n  prep: {}\n  predict: {}\n").message(),
            "w.yaml:4:3: stage 'predict' needs a 'train' stage before it");
  // An outside input replaces the stage it would read.
  EXPECT_TRUE(ParseWorkflow("stages:\n  prep: {input: a.tsv}\n", "w.yaml", {}).ok());
}

TEST(WorkflowConfigTest, KeysTheWorkflowSetsItself) {
  EXPECT_EQ(ParseError("stages:\n  gen: {rows: 5}\n  prep: {}\n  train:\n    data: elsewhere/\n").message(),
            "w.yaml:5:5: stage 'train': 'data': set by the workflow itself, not in the file");
}

TEST(WorkflowConfigTest, MissingOrEmptyStages) {
  EXPECT_NE(ParseError("name: x\n").message().find("missing 'stages'"), std::string::npos);
  EXPECT_NE(ParseError("stages: {}\n").message().find("'stages': expected a mapping of stages"), std::string::npos);
}

TEST(WorkflowConfigTest, YamlSyntaxErrorHasALocation) {
  Status status = ParseError("stages:\n  gen: {rows: 5\n");
  EXPECT_EQ(status.message().rfind("w.yaml:", 0), 0u) << status.message();
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace kiln::workflow
