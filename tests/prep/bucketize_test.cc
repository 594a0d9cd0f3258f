// Bucketize: given boundaries, fitted quantiles (exact below the cap,
// identical however the input is split), nulls, empty input, state.
#include <cmath>

#include <gtest/gtest.h>

#include "fit_helpers.h"
#include "kiln/prep/bucketize.h"
#include "kiln/prep/quantile_summary.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::FitInPieces;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::SaveAndLoad;
using testing::Values;

RecordBatchPtr Prices() {
  return MakeBatch({{"p", DataType::Float64()}, {"n", DataType::Int64()}},
                   {MakeColumn<double>(DataType::Float64(), {0.5, std::nullopt, 1.0, 2.5, NAN, -3.0}),
                    MakeColumn<int64_t>(DataType::Int64(), {1, 2, 3, 4, 5, 6})});
}

TEST(BucketizeTest, GivenBoundariesCountBoundariesAtOrBelow) {
  Bucketize op({{{"p"}}, {0.0, 1.0, 2.0}, 0, 1 << 20, std::nullopt});
  ASSERT_TRUE(op.Bind(Prices()->schema()).ok());
  EXPECT_FALSE(op.needs_fit());
  auto out = op.Transform(Prices());
  ASSERT_TRUE(out.ok());
  const Column& p = (*out)->column(0);
  EXPECT_EQ(p.type(), DataType::Int32());
  // 0.5 -> 1, null, 1.0 -> 2 (a boundary belongs to the bucket above), 2.5 -> 3, NaN -> null, -3 -> 0.
  EXPECT_EQ(Values<int32_t>(p, -7), (std::vector<int32_t>{1, -7, 2, 3, -7, 0}));
  EXPECT_EQ(p.null_count(), 2);
}

TEST(BucketizeTest, NullIdReplacesNullsAndNaN) {
  Bucketize op({{{"p"}}, {0.0}, 0, 1 << 20, 9});
  ASSERT_TRUE(op.Bind(Prices()->schema()).ok());
  auto out = op.Transform(Prices());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int32_t>((*out)->column(0)), (std::vector<int32_t>{1, 9, 1, 1, 9, 0}));
  EXPECT_EQ((*out)->column(0).null_count(), 0);
}

TEST(BucketizeTest, BadOptionsFailAtBind) {
  EXPECT_FALSE(Bucketize({{{"p"}}, {}, 0, 1 << 20, std::nullopt}).Bind(Prices()->schema()).ok());
  EXPECT_FALSE(Bucketize({{{"p"}}, {1.0}, 4, 1 << 20, std::nullopt}).Bind(Prices()->schema()).ok());
  EXPECT_FALSE(Bucketize({{{"p"}}, {2.0, 1.0}, 0, 1 << 20, std::nullopt}).Bind(Prices()->schema()).ok());
}

TEST(BucketizeTest, QuantilesAreExactDataValues) {
  // n = 1..6 in 3 buckets: cut points at ranks 2 and 4 -> values 3 and 5.
  Bucketize op({{{"n"}}, {}, 3, 1 << 20, std::nullopt});
  FitInPieces(&op, Prices(), 3);
  ASSERT_EQ(op.boundaries().size(), 1u);
  EXPECT_EQ(op.boundaries()[0], (std::vector<double>{3, 5}));
  auto out = op.Transform(Prices());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int32_t>((*out)->column(1)), (std::vector<int32_t>{0, 0, 1, 1, 2, 2}));
  // p skips null and NaN: -3, 0.5, 1, 2.5 in 2 buckets -> cut at rank 2 = 1.0.
  Bucketize prices({{{"p"}}, {}, 2, 1 << 20, std::nullopt});
  FitInPieces(&prices, Prices(), 2);
  EXPECT_EQ(prices.boundaries()[0], (std::vector<double>{1.0}));
}

TEST(BucketizeTest, RepeatedCutPointsCollapse) {
  auto batch = MakeBatch({{"v", DataType::Int32()}}, {MakeColumn<int32_t>(DataType::Int32(), {7, 7, 7, 7, 8})});
  Bucketize op({{{"v"}}, {}, 4, 1 << 20, std::nullopt});
  FitInPieces(&op, batch, 2);
  EXPECT_EQ(op.boundaries()[0], (std::vector<double>{7}));  // Ranks 1, 2, 3 all hold 7.
}

TEST(BucketizeTest, EmptyInputPutsEverythingInBucketZero) {
  Bucketize op({{{"p"}}, {}, 4, 1 << 20, std::nullopt});
  FitInPieces(&op, Prices()->Slice(0, 0), 2);
  EXPECT_TRUE(op.boundaries()[0].empty());
  auto out = op.Transform(Prices()->Slice(0, 1));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int32_t>((*out)->column(0)), (std::vector<int32_t>{0}));
  auto empty = op.Transform(Prices()->Slice(0, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->num_rows(), 0);
}

TEST(BucketizeTest, StateRoundTrip) {
  Bucketize op({{{"n", "p"}}, {}, 3, 1 << 20, 0});
  FitInPieces(&op, Prices(), 2);
  Bucketize loaded({{{"n", "p"}}, {}, 3, 1 << 20, 0});
  SaveAndLoad(op, &loaded, Prices()->schema());
  EXPECT_EQ(loaded.boundaries(), op.boundaries());
}

// Above the cap the summary coarsens, and still gives the same cut points
// however the values are split and merged.
TEST(QuantileSummaryTest, CoarsenedSummaryIsIndependentOfSplitting) {
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i) values.push_back(std::sin(i * 0.37) * 1000 + i % 17);
  QuantileSummary whole(100);
  for (double v : values) whole.Add(v);
  EXPECT_GT(whole.shift(), 0);
  EXPECT_LE(whole.cells(), 100);
  for (int parts : {2, 3, 7}) {
    std::vector<QuantileSummary> pieces(parts, QuantileSummary(100));
    for (size_t i = 0; i < values.size(); ++i) pieces[(i * 31) % parts].Add(values[i]);
    QuantileSummary merged(100);
    for (int p = parts - 1; p >= 0; --p) {
      std::string bytes;
      pieces[p].Serialize(&bytes);
      ByteReader reader(bytes);
      ASSERT_TRUE(merged.MergeSerialized(&reader));
    }
    EXPECT_EQ(merged.shift(), whole.shift());
    EXPECT_EQ(merged.count(), 5000);
    EXPECT_EQ(merged.Boundaries(10), whole.Boundaries(10)) << parts;
  }
  // Exact below the cap: the median of 1..1001 is 501.
  QuantileSummary exact(1 << 20);
  for (int i = 1001; i >= 1; --i) exact.Add(i);
  EXPECT_EQ(exact.Boundaries(2), (std::vector<double>{501}));
  // Negative numbers and zeros order correctly.
  QuantileSummary signs(1 << 20);
  for (double v : {-2.0, -0.5, 0.0, 3.0}) signs.Add(v);
  EXPECT_EQ(signs.Boundaries(4), (std::vector<double>{-0.5, 0.0, 3.0}));
}

}  // namespace
}  // namespace kiln::prep
