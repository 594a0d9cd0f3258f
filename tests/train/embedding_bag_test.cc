// Hand-written lookups, coalescing, the sparse exchange and row updates.
#include "kiln/train/embedding_bag.h"

#include <vector>

#include <gtest/gtest.h>

namespace kiln::train {
namespace {

// Two tables of 4 rows, dim 2: table t row r holds (10t + r, -(10t + r)).
struct Tables {
  std::vector<float> data[2];
  std::vector<EmbeddingTable> views;
  Tables() {
    for (int t = 0; t < 2; ++t) {
      for (int r = 0; r < 4; ++r) {
        data[t].push_back(10.0f * t + r);
        data[t].push_back(-(10.0f * t + r));
      }
      EmbeddingTable view;
      view.weights = data[t].data();
      view.rows = 4;
      view.dim = 2;
      views.push_back(view);
    }
  }
};

TEST(EmbeddingBagTest, GatherLooksUpEachTable) {
  Tables tables;
  const int64_t rows[] = {1, 3, 0, 3};  // Batch of 2: (t0 r1, t1 r3), (t0 r0, t1 r3).
  std::vector<float> out(2 * 2 * 2);
  GatherEmbeddings(tables.views, rows, 2, out.data());
  EXPECT_EQ(out, (std::vector<float>{1, -1, 13, -13, 0, 0, 13, -13}));
}

TEST(EmbeddingBagTest, CoalesceSumsRepeatedRows) {
  Tables tables;
  const int64_t rows[] = {2, 1, 0, 1, 2, 3};  // Table 0: 2, 0, 2; table 1: 1, 1, 3.
  const std::vector<float> gradient = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::vector<SparseGradient> sums = CoalesceGradients(tables.views, rows, 3, gradient.data());
  ASSERT_EQ(sums.size(), 2u);
  EXPECT_EQ(sums[0].rows, (std::vector<int64_t>{2, 0}));  // First-touch order.
  EXPECT_EQ(sums[0].values, (std::vector<float>{1 + 9, 2 + 10, 5, 6}));
  EXPECT_EQ(sums[1].rows, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(sums[1].values, (std::vector<float>{3 + 7, 4 + 8, 11, 12}));
}

TEST(EmbeddingBagTest, SplitIntoPiecesCoversEveryRowOnce) {
  const std::vector<WorkPiece> pieces = SplitIntoPieces({5, 0, 2}, 2);
  ASSERT_EQ(pieces.size(), 4u);  // 5 rows: [0,2) [2,4) [4,5); none of 0; [0,2) of 2.
  EXPECT_EQ(pieces[0].item, 0u);
  EXPECT_EQ(pieces[2].begin, 4);
  EXPECT_EQ(pieces[2].end, 5);
  EXPECT_EQ(pieces[3].item, 2u);
  EXPECT_EQ(pieces[3].begin, 0);
  EXPECT_EQ(pieces[3].end, 2);
}

TEST(EmbeddingBagTest, SgdTouchesOnlyGivenRows) {
  Tables tables;
  std::vector<SparseGradient> gradients(2);
  gradients[1].rows = {2};
  gradients[1].values = {1.0f, -1.0f};
  ApplySparseGradients(StepUpdate({OptimizerKind::kSgd}, 0.5f, 1), 2.0f, gradients, &tables.views);
  EXPECT_FLOAT_EQ(tables.data[1][4], 12 - 1.0f);  // lr · scale · g = 0.5 · 2 · 1.
  EXPECT_FLOAT_EQ(tables.data[1][5], -12 + 1.0f);
  for (int i = 0; i < 8; ++i) {
    if (i != 4 && i != 5) {
      EXPECT_FLOAT_EQ(tables.data[1][i], i % 2 ? -(10.0f + i / 2) : 10.0f + i / 2) << i;
    }
    EXPECT_FLOAT_EQ(tables.data[0][i], i % 2 ? -(i / 2) : i / 2) << i;
  }
}

TEST(EmbeddingBagTest, ExchangeRoundTripAndMerge) {
  std::vector<SparseGradient> rank0(1), rank1(1);
  rank0[0] = {{1, 5}, {1, 1, 2, 2}};
  rank1[0] = {{0, 5}, {3, 3, 4, 4}};
  auto decoded = DecodeSparseGradients(EncodeSparseGradients(rank1), 1, 2, "rank 1");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ((*decoded)[0].rows, rank1[0].rows);
  EXPECT_EQ((*decoded)[0].values, rank1[0].values);
  SparseGradient merged = MergeSparseGradients({&rank0[0], &(*decoded)[0]}, 2);
  EXPECT_EQ(merged.rows, (std::vector<int64_t>{0, 1, 5}));
  EXPECT_EQ(merged.values, (std::vector<float>{3, 3, 1, 1, 6, 6}));
  EXPECT_DOUBLE_EQ(SquaredNorm(rank0), 1 + 1 + 4 + 4);

  std::string bytes = EncodeSparseGradients(rank0);
  bytes.pop_back();
  auto truncated = DecodeSparseGradients(bytes, 1, 2, "rank 0");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("rank 0"), std::string::npos);
}

}  // namespace
}  // namespace kiln::train
