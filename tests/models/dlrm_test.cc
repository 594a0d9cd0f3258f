// The DLRM architecture: config parsing and checks, table sizes from a prep
// state, hashing beyond the cap, and the interaction layer against a
// brute-force computation.
#include <torch/torch.h>

#include <gtest/gtest.h>

#include "kiln/models/dlrm_config.h"
#include "kiln/models/dlrm_module.h"
#include "testing/temp_dir.h"

namespace kiln::models {
namespace {

TEST(DlrmConfigTest, ParsesLayerSizes) {
  EXPECT_EQ(*ParseLayerSizes("13-512-256-64-16", "arch_mlp_bot"), (std::vector<int64_t>{13, 512, 256, 64, 16}));
  for (const char* bad : {"", "13--16", "13-0", "a-1", "13-16-"}) {
    auto result = ParseLayerSizes(bad, "arch_mlp_bot");
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_NE(result.status().message().find("'arch_mlp_bot'"), std::string::npos);
  }
}

TEST(DlrmConfigTest, ChecksNameTheKey) {
  DlrmConfig config;
  config.table_rows = std::vector<int64_t>(26, 10);
  EXPECT_TRUE(ValidateDlrmConfig(config, 13, 26).ok());
  config.embedding_dim = 8;
  Status mismatch = ValidateDlrmConfig(config, 13, 26);
  EXPECT_NE(mismatch.message().find("'arch_mlp_bot'"), std::string::npos);
  EXPECT_NE(mismatch.message().find("'emb_dim'"), std::string::npos);
  config.interaction = Interaction::kCat;  // cat needs no equal widths.
  EXPECT_TRUE(ValidateDlrmConfig(config, 13, 26).ok());
  config.top_mlp = {512, 2};
  EXPECT_NE(ValidateDlrmConfig(config, 13, 26).message().find("'arch_mlp_top'"), std::string::npos);
  config.top_mlp = {1};
  EXPECT_NE(ValidateDlrmConfig(config, 12, 26).message().find("'arch_mlp_bot'"), std::string::npos);
}

TEST(DlrmConfigTest, TableRowsFromPrepStateWithCapAndHashing) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("state.json"), "{\"step3_categorify.C1.size\": 99, \"step3_categorify.C2.size\": 4}");
  auto rows = TableRowsFromPrepState(dir.path(), {"C1", "C2"}, 50);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<int64_t>{50, 5}));
  auto missing = TableRowsFromPrepState(dir.path(), {"C3"}, 0);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'C3'"), std::string::npos);
  EXPECT_EQ(TableRow(7, 50), 7);
  for (int64_t id : {50, 51, 1000000, -3}) {
    const int64_t row = TableRow(id, 50);
    EXPECT_GE(row, 0);
    EXPECT_LT(row, 50);
  }
  EXPECT_NE(TableRow(50, 50), TableRow(51, 50));
}

TEST(InteractionTest, DotMatchesBruteForce) {
  torch::manual_seed(1);
  torch::Tensor x = torch::randn({2, 3});
  torch::Tensor e = torch::randn({2, 2, 3});
  torch::Tensor out = Interact(x, e, Interaction::kDot);
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{2, 3 + 3}));
  for (int64_t b = 0; b < 2; ++b) {
    std::vector<torch::Tensor> features = {x[b], e[b][0], e[b][1]};
    std::vector<float> expected = {x[b][0].item<float>(), x[b][1].item<float>(), x[b][2].item<float>()};
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < i; ++j) expected.push_back(features[i].dot(features[j]).item<float>());
    }
    for (int k = 0; k < 6; ++k) EXPECT_NEAR(out[b][k].item<float>(), expected[k], 1e-5) << b << " " << k;
  }
}

// The hand-written backward against autograd through explicit dot products.
TEST(InteractionTest, DotGradientsMatchAutograd) {
  torch::manual_seed(2);
  const int64_t batch = 131, tables = 5, dim = 16;  // More than one parallel task.
  torch::Tensor x = torch::randn({batch, dim}, torch::requires_grad());
  torch::Tensor e = torch::randn({batch, tables, dim}, torch::requires_grad());
  torch::Tensor weights = torch::randn({batch, dim + (tables + 1) * tables / 2});
  (Interact(x, e, Interaction::kDot) * weights).sum().backward();
  const torch::Tensor dx = x.grad().clone(), de = e.grad().clone();

  torch::Tensor x2 = x.detach().clone().requires_grad_(true);
  torch::Tensor e2 = e.detach().clone().requires_grad_(true);
  std::vector<torch::Tensor> features = {x2};
  for (int64_t t = 0; t < tables; ++t) features.push_back(e2.select(1, t));
  std::vector<torch::Tensor> columns = {x2};
  for (size_t i = 1; i < features.size(); ++i) {
    for (size_t j = 0; j < i; ++j) columns.push_back((features[i] * features[j]).sum(1, true));
  }
  (torch::cat(columns, 1) * weights).sum().backward();
  EXPECT_TRUE(torch::allclose(dx, x2.grad(), 1e-4, 1e-4));
  EXPECT_TRUE(torch::allclose(de, e2.grad(), 1e-4, 1e-4));
  EXPECT_GT(dx.abs().sum().item<float>(), 1.0f);
}

TEST(InteractionTest, CatConcatenates) {
  torch::Tensor x = torch::ones({1, 2});
  torch::Tensor e = torch::arange(4, torch::kFloat32).reshape({1, 2, 2});
  torch::Tensor out = Interact(x, e, Interaction::kCat);
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{1, 6}));
  const std::vector<float> expected = {1, 1, 0, 1, 2, 3};
  for (int k = 0; k < 6; ++k) EXPECT_FLOAT_EQ(out[0][k].item<float>(), expected[k]);
}

TEST(DlrmModuleTest, ForwardShapeAndDeterministicInit) {
  DlrmConfig config;
  config.bottom_mlp = {3, 8, 4};
  config.top_mlp = {6, 1};
  config.embedding_dim = 4;
  config.table_rows = {10, 20};
  DlrmModule a(config, 5), b(config, 5);
  EXPECT_EQ(InteractionWidth(config), 4 + 3);
  torch::Tensor dense = torch::randn({5, 3});
  torch::Tensor embedded = torch::randn({5, 2, 4});
  torch::Tensor logits = a.Forward(dense, embedded);
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{5}));
  EXPECT_TRUE(torch::equal(logits, b.Forward(dense, embedded)));
  EXPECT_TRUE(torch::equal(a.tables()[1], b.tables()[1]));
  EXPECT_EQ(a.tables()[1].size(0), 20);
  EXPECT_LE(a.tables()[0].abs().max().item<float>(), 1 / std::sqrt(10.0f));
}

}  // namespace
}  // namespace kiln::models
