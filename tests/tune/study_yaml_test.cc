#include <gtest/gtest.h>

#include "kiln/tune/study_config.h"

namespace kiln::tune {
namespace {

// The study file of the issue, as written there.
const char* kIssueStudy = R"(study: branin
metrics: [{name: value, goal: minimize}]      # add threshold: for SigOpt-style thresholds
budget: 60
sampler: default                               # random | grid | sobol | tpe | gp | default
parameters:
  - {name: x1, type: float, low: -5, high: 10}
  - {name: x2, type: float, low: 0, high: 15, log: false}
  - {name: opt, type: categorical, choices: [adam, lamb]}
trial:
  command: python3 branin.py                   # gets --x1 V --x2 V ...; writes {"value": 1.23} to $KILN_RESULT
  timeout_s: 600
)";

TEST(StudyYamlTest, ParsesTheIssueStudyFile) {
  auto config = ParseStudyYaml(kIssueStudy, "branin.yaml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->name, "branin");
  EXPECT_EQ(config->budget, 60);
  EXPECT_EQ(config->sampler, "default");
  ASSERT_EQ(config->metrics.size(), 1u);
  EXPECT_EQ(config->metrics[0].goal, Goal::kMinimize);
  ASSERT_EQ(config->space.size(), 3u);
  EXPECT_EQ(config->space.parameter(1).high, 15);
  EXPECT_EQ(config->space.parameter(2).choices, (std::vector<std::string>{"adam", "lamb"}));
  EXPECT_EQ(config->trial.command, "python3 branin.py");
  EXPECT_EQ(config->trial.timeout_s, 600);
}

TEST(StudyYamlTest, ParsesEverything) {
  auto config = ParseStudyYaml(R"(study: full
metrics:
  - {name: auc, goal: maximize, threshold: 0.7}
  - {name: seconds, goal: minimize}
  - {name: memory_mb, constraint: true, threshold: 512}
budget: 10
seed: 4
sampler: tpe
parameters:
  - {name: lr, type: float, low: 0.0001, high: 1, log: true}
  - {name: dim, type: int, low: 16, high: 128, step: 16}
  - {name: opt, type: categorical, choices: [adam, sgd]}
  - {name: momentum, type: float, low: 0.5, high: 0.99, condition: {parent: opt, values: [sgd]}}
constraints:
  - {coefficients: {lr: 1, dim: 0.01}, max: 2}
pruner: {type: asha, min_resource: 2, reduction_factor: 4}
trial: {command: ./train.sh}
)", "full.yaml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->metrics[0].threshold, 0.7);
  EXPECT_TRUE(config->metrics[2].constraint);
  EXPECT_EQ(config->seed, 4u);
  EXPECT_TRUE(config->space.parameter(0).log);
  EXPECT_EQ(config->space.parameter(1).step, 16);
  EXPECT_EQ(config->space.parameter(3).condition->parent, "opt");
  EXPECT_EQ(config->space.constraints().size(), 1u);
  EXPECT_EQ(config->pruner.type, "asha");
  EXPECT_EQ(config->pruner.reduction_factor, 4);
}

std::string ErrorOf(const std::string& parameters) {
  std::string text = "study: s\nmetrics: [{name: v}]\nbudget: 5\nparameters:\n" + parameters + "trial: {command: x}\n";
  auto config = ParseStudyYaml(text, "s.yaml");
  EXPECT_FALSE(config.ok());
  return config.ok() ? "" : config.status().message();
}

TEST(StudyYamlTest, BadParametersNameTheirLocation) {
  EXPECT_EQ(ErrorOf("  - {name: a, type: double, low: 0, high: 1}\n"),
            "s.yaml:5:21: 'type': unknown parameter type 'double' (known: float, int, categorical)");
  EXPECT_EQ(ErrorOf("  - {name: a, type: float, low: 0, high: 1}\n  - {name: b, type: float, low: 3, high: 1}\n"),
            "s.yaml:6:5: parameter 'b': empty bounds (low 3.000000 > high 1.000000)");
  EXPECT_EQ(ErrorOf("  - {name: a, type: float, low: 0, high: 1, log: true}\n"),
            "s.yaml:5:5: parameter 'a': log scale needs positive bounds (low is 0.000000)");
  EXPECT_EQ(ErrorOf("  - {name: a, type: float, low: 1, high: 2, condition: {parent: opt, values: [x]}}\n"),
            "s.yaml:5:5: parameter 'a': condition on missing parent 'opt' (declare it before its children)");
  EXPECT_EQ(ErrorOf("  - {name: a, type: float, low: 1, high: 2, hgih: 3}\n"),
            "s.yaml:5:45: parameter: unknown key 'hgih' (known: choices, condition, high, log, low, name, step, type)");
}

TEST(StudyYamlTest, BadStudies) {
  auto no_trial = ParseStudyYaml("study: s\nmetrics: [{name: v}]\nbudget: 5\nparameters: [{name: a, type: float, low: 0, high: 1}]\n", "s.yaml");
  EXPECT_NE(no_trial.status().message().find("missing 'trial'"), std::string::npos);
  auto bad_goal = ParseStudyYaml("study: s\nmetrics: [{name: v, goal: up}]\nbudget: 5\nparameters: [{name: a, type: float, low: 0, high: 1}]\ntrial: {command: x}\n", "s.yaml");
  EXPECT_EQ(bad_goal.status().message(), "s.yaml:2:27: 'goal': must be minimize or maximize, not 'up'");
  auto no_budget = ParseStudyYaml("study: s\nmetrics: [{name: v}]\nparameters: [{name: a, type: float, low: 0, high: 1}]\ntrial: {command: x}\n", "s.yaml");
  EXPECT_NE(no_budget.status().message().find("'budget' must be a positive"), std::string::npos);
  auto bad_sampler = ParseStudyYaml("study: s\nmetrics: [{name: v}]\nbudget: 3\nsampler: cmaes\nparameters: [{name: a, type: float, low: 0, high: 1}]\ntrial: {command: x}\n", "s.yaml");
  EXPECT_NE(bad_sampler.status().message().find("unknown sampler 'cmaes'"), std::string::npos);
  auto syntax = ParseStudyYaml("study: [s\n", "s.yaml");
  EXPECT_NE(syntax.status().message().find("s.yaml:"), std::string::npos);
}

}  // namespace
}  // namespace kiln::tune
