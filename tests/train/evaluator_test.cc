// kiln evaluate's checks before any work. (Its metrics on a trained model
// are checked against kiln train's own in tests/workflow, end to end.)
#include "kiln/train/evaluator.h"

#include <gtest/gtest.h>

#include "kiln/train/dataset_rows.h"

namespace kiln::train {
namespace {

TEST(EvaluatorTest, HeldOutRowsAreTheLastWholeShare) {
  EXPECT_EQ(HeldOutFirstRow(6000, 0.2), 4800);
  EXPECT_EQ(HeldOutFirstRow(10, 0.25), 8);  // 2.5 rows held out: rounded down to 2.
  EXPECT_EQ(HeldOutFirstRow(10, 0), 10);
  EXPECT_EQ(HeldOutFirstRow(10, 1), 0);
}

TEST(EvaluatorTest, BadOptionsFailNamingTheKey) {
  EvaluateOptions options;
  options.model = "/nonexistent/model";
  options.input = "/nonexistent/prep";
  options.eval_fraction = 0;
  EXPECT_NE(RunEvaluation(options).status().message().find("'eval_fraction': must be in (0, 1]"), std::string::npos);
  options.eval_fraction = 1.5;
  EXPECT_NE(RunEvaluation(options).status().message().find("'eval_fraction'"), std::string::npos);
  options.eval_fraction = 0.1;
  options.precision = "fp16";
  EXPECT_EQ(RunEvaluation(options).status().message(), "'precision': expected fp32 or bf16, not 'fp16'");
  options.precision = "fp32";
  options.batch_rows = 0;
  EXPECT_EQ(RunEvaluation(options).status().message(), "'batch_rows': must be at least 1");
  options.batch_rows = 16;
  Status missing = RunEvaluation(options).status();
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("/nonexistent/model"), std::string::npos) << missing.message();
}

TEST(EvaluatorTest, JsonHasNullForAnUndefinedAuc) {
  EvaluateSummary summary;
  summary.metrics.auc = NAN;  // One class only.
  summary.metrics.rows = 3;
  summary.first_row = 7;
  summary.precision = "fp32";
  const std::string json = EvaluationJson(summary);
  EXPECT_EQ(json.rfind("{\"auc\": null, \"logloss\": 0, \"accuracy\": 0, \"rows\": 3, \"first_row\": 7,", 0), 0u)
      << json;
}

}  // namespace
}  // namespace kiln::train
