// The optimizers against closed-form steps on tiny arrays.
#include "kiln/train/row_optimizer.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace kiln::train {
namespace {

struct Block {
  std::vector<float> weights;
  std::vector<float> first = std::vector<float>(2, 0.0f);
  std::vector<float> second = std::vector<float>(2, 0.0f);
  void Step(const OptimizerOptions& options, float lr, int64_t step, std::vector<float> gradient) {
    StepUpdate(options, lr, step).Apply(2, gradient.data(), weights.data(), first.data(), second.data());
  }
};

TEST(RowOptimizerTest, SgdStep) {
  Block block{{1.0f, 2.0f}};
  block.Step({OptimizerKind::kSgd}, 0.1f, 1, {0.5f, -1.0f});
  EXPECT_FLOAT_EQ(block.weights[0], 0.95f);
  EXPECT_FLOAT_EQ(block.weights[1], 2.1f);
}

TEST(RowOptimizerTest, AdagradTwoSteps) {
  OptimizerOptions options{OptimizerKind::kAdagrad};
  options.epsilon = 0;
  Block block{{1.0f, 2.0f}};
  block.Step(options, 0.1f, 1, {0.5f, -2.0f});  // s = g^2: a step of lr * sign(g).
  EXPECT_FLOAT_EQ(block.weights[0], 0.9f);
  EXPECT_FLOAT_EQ(block.weights[1], 2.1f);
  block.Step(options, 0.1f, 2, {0.5f, 0.0f});  // s = 0.5: step 0.1 * 0.5 / sqrt(0.5).
  EXPECT_NEAR(block.weights[0], 0.9 - 0.1 * 0.5 / std::sqrt(0.5), 1e-6);
  EXPECT_FLOAT_EQ(block.weights[1], 2.1f);
  EXPECT_FLOAT_EQ(block.first[1], 4.0f);
}

// With weight decay, the first step sees g + wd·w: m = 0.1·(g + wd·w).
TEST(RowOptimizerTest, AdamWeightDecayIsAnL2Gradient) {
  OptimizerOptions options{OptimizerKind::kAdam};
  options.weight_decay = 0.5f;
  Block block{{2.0f, -4.0f}};
  block.Step(options, 0.01f, 1, {0.0f, 1.0f});
  EXPECT_NEAR(block.first[0], 0.1 * (0.0 + 0.5 * 2.0), 1e-7);
  EXPECT_NEAR(block.first[1], 0.1 * (1.0 - 0.5 * 4.0), 1e-7);
  EXPECT_NEAR(block.weights[0], 2.0 - 0.01, 1e-6);   // Bias-corrected first step: lr·sign.
  EXPECT_NEAR(block.weights[1], -4.0 + 0.01, 1e-6);
}

TEST(RowOptimizerTest, AdamMatchesClosedForm) {
  OptimizerOptions options{OptimizerKind::kAdam};
  Block block{{1.0f, -1.0f}};
  const double g1[2] = {0.2, -0.4}, g2[2] = {-0.1, 0.3};
  block.Step(options, 0.01f, 1, {0.2f, -0.4f});
  block.Step(options, 0.01f, 2, {-0.1f, 0.3f});
  const double start[2] = {1.0, -1.0};
  for (int i = 0; i < 2; ++i) {
    double w = start[i], m = 0, v = 0;
    const double gradients[2] = {g1[i], g2[i]};
    for (int t = 1; t <= 2; ++t) {
      const double g = gradients[t - 1];
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      w -= 0.01 * (m / (1 - std::pow(0.9, t))) / (std::sqrt(v / (1 - std::pow(0.999, t))) + 1e-8);
    }
    EXPECT_NEAR(block.weights[i], w, 1e-6) << i;
    EXPECT_NEAR(block.first[i], m, 1e-7) << i;
    EXPECT_NEAR(block.second[i], v, 1e-4 * v) << i;  // 1 - 0.999f is 0.001 to 1e-5 in float.
  }
}

TEST(RowOptimizerTest, LambTrustRatioPerBlock) {
  // Step 1: m̂ = g and v̂ = g², so u = sign(g) + wd·w (eps aside).
  OptimizerOptions options{OptimizerKind::kLamb};
  options.weight_decay = 0.1f;
  Block block{{3.0f, 4.0f}};
  block.Step(options, 0.5f, 1, {1.0f, -2.0f});
  const double u[2] = {1 + 0.3, -1 + 0.4};
  const double ratio = 5.0 / std::sqrt(u[0] * u[0] + u[1] * u[1]);  // ‖w‖ = 5.
  EXPECT_NEAR(block.weights[0], 3 - 0.5 * ratio * u[0], 1e-5);
  EXPECT_NEAR(block.weights[1], 4 - 0.5 * ratio * u[1], 1e-5);
}

TEST(RowOptimizerTest, LambRatioIsOneForZeroWeights) {
  Block block{{0.0f, 0.0f}};
  block.Step({OptimizerKind::kLamb}, 0.5f, 1, {2.0f, -3.0f});
  EXPECT_NEAR(block.weights[0], -0.5, 1e-6);
  EXPECT_NEAR(block.weights[1], 0.5, 1e-6);
}

TEST(RowOptimizerTest, ParsesNamesAndRejectsOthers) {
  EXPECT_EQ(*ParseOptimizerKind("lamb", "optimizer"), OptimizerKind::kLamb);
  EXPECT_EQ(StateSlots(OptimizerKind::kAdagrad), 1);
  auto bad = ParseOptimizerKind("rmsprop", "optimizer");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'optimizer'"), std::string::npos);
}

}  // namespace
}  // namespace kiln::train
