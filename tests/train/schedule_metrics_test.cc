// The MLPerf learning-rate schedule and the held-out metrics (the exact AUC
// itself is gen's ExactAuc, tested against brute force in tests/gen).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/train/eval_metrics.h"
#include "kiln/train/lr_schedule.h"

namespace kiln::train {
namespace {

TEST(LrScheduleTest, WarmupConstantThenPolynomialDecay) {
  LrSchedule schedule{1.0f, 4, 10, 5, 2.0f};
  EXPECT_FLOAT_EQ(LearningRate(schedule, 1), 0.25f);
  EXPECT_FLOAT_EQ(LearningRate(schedule, 4), 1.0f);
  EXPECT_FLOAT_EQ(LearningRate(schedule, 10), 1.0f);
  EXPECT_FLOAT_EQ(LearningRate(schedule, 12), 0.36f);  // (1 - 2/5)^2
  EXPECT_FLOAT_EQ(LearningRate(schedule, 15), 0.0f);
  EXPECT_FLOAT_EQ(LearningRate(schedule, 99), 0.0f);
  EXPECT_FLOAT_EQ(LearningRate({0.5f}, 1000), 0.5f);
}

TEST(EvalMetricsTest, LoglossAccuracyAndAuc) {
  const std::vector<float> p = {0.9f, 0.2f, 0.6f, 0.6f};
  const std::vector<uint8_t> labels = {1, 0, 0, 1};
  EvalMetrics metrics = ComputeEvalMetrics(p, labels);
  EXPECT_EQ(metrics.rows, 4);
  EXPECT_NEAR(metrics.logloss, -(std::log(0.9) + std::log(0.8) + std::log(0.4) + std::log(0.6)) / 4, 1e-6);
  EXPECT_DOUBLE_EQ(metrics.accuracy, 0.75);
  // Pairs (positive, negative): (0.9,0.2) 1, (0.9,0.6) 1, (0.6,0.2) 1, (0.6,0.6) tie 0.5.
  EXPECT_DOUBLE_EQ(metrics.auc, 3.5 / 4);
}

}  // namespace
}  // namespace kiln::train
