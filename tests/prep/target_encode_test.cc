// TargetEncode: out-of-fold encodings checked against a direct computation,
// independence from splitting, full statistics after LoadState, joint keys,
// null targets and keys, empty input.
#include <set>

#include <gtest/gtest.h>

#include "fit_helpers.h"
#include "kiln/prep/row_id.h"
#include "kiln/prep/target_encode.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::ColumnNamed;
using testing::FitInPieces;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::SaveAndLoad;
using testing::Values;

RecordBatchPtr Clicks(int64_t first_row = 0) {
  auto batch = MakeBatch(
      {{"k", DataType::String()}, {"y", DataType::Int32()}, {"z", DataType::Float64()}},
      {MakeColumn<std::string>(DataType::String(), {"a", "a", "b", "a", "b", "a", std::nullopt, "b", "a", "c"}),
       MakeColumn<int32_t>(DataType::Int32(), {1, 0, 1, 1, 0, std::nullopt, 1, 1, 0, 1}),
       MakeColumn<double>(DataType::Float64(), {2, 4, 6, 8, 10, 12, 14, 16, 18, 20})});
  return WithRowIds(*batch, first_row);
}

// The out-of-fold m-estimate of row `row`, computed directly.
double OutOfFold(const TargetEncode& op, const RecordBatchPtr& batch, int64_t row, double m) {
  const Column& k = ColumnNamed(batch, "k");
  const Column& y = ColumnNamed(batch, "y");
  int32_t fold = op.FoldOf(row);
  double count = 0, sum = 0, all_count = 0, all_sum = 0;
  for (int64_t other = 0; other < batch->num_rows(); ++other) {
    if (op.FoldOf(other) == fold || y.IsNull(other)) continue;
    all_count += 1;
    all_sum += y.Value<int32_t>(other);
    bool same = k.IsNull(row) ? k.IsNull(other) : k.IsValid(other) && k.GetString(other) == k.GetString(row);
    if (same) {
      count += 1;
      sum += y.Value<int32_t>(other);
    }
  }
  double prior = all_count > 0 ? all_sum / all_count : 0;
  return (sum + m * prior) / (count + m);
}

TEST(TargetEncodeTest, FittingRunEncodesOutOfFold) {
  TargetEncode op({{"k"}, false, {"y"}, 3, 2.0, 7});
  FitInPieces(&op, Clicks(), 1);
  auto out = op.Transform(Clicks());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Column& te = ColumnNamed(*out, "k_y_te");
  std::set<int32_t> folds;
  for (int64_t row = 0; row < 10; ++row) {
    folds.insert(op.FoldOf(row));
    EXPECT_DOUBLE_EQ(te.Value<double>(row), OutOfFold(op, Clicks(), row, 2.0)) << row;
  }
  EXPECT_EQ(folds.size(), 3u);  // The seed spreads 10 rows over all 3 folds.
}

TEST(TargetEncodeTest, SameResultHoweverTheInputIsSplit) {
  TargetEncode whole({{"k"}, false, {"y", "z"}, 4, 1.0, 3});
  FitInPieces(&whole, Clicks(), 1);
  TargetEncode pieces({{"k"}, false, {"y", "z"}, 4, 1.0, 3});
  FitInPieces(&pieces, Clicks(), 5);
  auto a = whole.Transform(Clicks());
  auto b = pieces.Transform(Clicks()->Slice(3, 7));  // Row ids, not positions, pick folds.
  ASSERT_TRUE(a.ok() && b.ok());
  for (const char* name : {"k_y_te", "k_z_te"}) {
    std::vector<double> tail = Values<double>(ColumnNamed(*a, name));
    tail.erase(tail.begin(), tail.begin() + 3);
    EXPECT_EQ(tail, Values<double>(ColumnNamed(*b, name))) << name;
  }
}

TEST(TargetEncodeTest, LoadedStateUsesFullStatistics) {
  TargetEncode op({{"k"}, false, {"y"}, 3, 1.0, 7});
  FitInPieces(&op, Clicks(), 2);
  TargetEncode loaded({{"k"}, false, {"y"}, 3, 1.0, 7});
  SaveAndLoad(op, &loaded, Clicks()->schema());
  auto fresh = MakeBatch({{"k", DataType::String()}, {"y", DataType::Int32()}, {"z", DataType::Float64()}},
                         {MakeColumn<std::string>(DataType::String(), {"a", "b", "c", "new", std::nullopt}),
                          MakeColumn<int32_t>(DataType::Int32(), {0, 0, 0, 0, 0}),
                          MakeColumn<double>(DataType::Float64(), {0, 0, 0, 0, 0})});
  auto out = loaded.Transform(WithRowIds(*fresh, 0));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // Non-null targets: 9 rows, sum 6: prior 2/3. a: y = 1, 0, 1, 0 (one null) -> 2 of 4;
  // b: 1, 0, 1 -> 2 of 3; c: 1 of 1; null key: 1 of 1; unseen: the prior.
  double prior = 6.0 / 9;
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "k_y_te")),
            (std::vector<double>{(2 + prior) / 5, (2 + prior) / 4, (1 + prior) / 2, prior, (1 + prior) / 2}));
}

TEST(TargetEncodeTest, JointKeysAndEmptyFit) {
  auto batch = WithRowIds(*MakeBatch({{"a", DataType::Int32()}, {"b", DataType::String()}, {"y", DataType::Float32()}},
                                     {MakeColumn<int32_t>(DataType::Int32(), {1, 1, 1, 2}),
                                      MakeColumn<std::string>(DataType::String(), {"x", "x", "y", "x"}),
                                      MakeColumn<float>(DataType::Float32(), {1, 3, 5, 7})}),
                          0);
  TargetEncode joint({{"a", "b"}, true, {"y"}, 2, 0.0, 1});
  FitInPieces(&joint, batch, 2);
  EXPECT_EQ(joint.outputs(), (std::vector<std::string>{"a_b_y_te"}));
  TargetEncode loaded({{"a", "b"}, true, {"y"}, 2, 0.0, 1});
  SaveAndLoad(joint, &loaded, batch->schema());
  auto out = loaded.Transform(batch);
  ASSERT_TRUE(out.ok());
  // m = 0: plain means of the full data per (a, b).
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "a_b_y_te")), (std::vector<double>{2, 2, 5, 7}));

  TargetEncode empty({{"b"}, false, {"y"}, 2, 5.0, 1});
  FitInPieces(&empty, batch->Slice(0, 0), 2);
  out = empty.Transform(batch);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "b_y_te")), std::vector<double>(4, 0));
  EXPECT_FALSE(TargetEncode({{"b"}, false, {"y"}, 1, 5.0, 1}).Bind(batch->schema()).ok());
  EXPECT_FALSE(TargetEncode({{"b"}, false, {"b"}, 2, 5.0, 1}).Bind(batch->schema()).ok());
}

}  // namespace
}  // namespace kiln::prep
