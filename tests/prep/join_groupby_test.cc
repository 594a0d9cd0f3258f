// JoinGroupby: hand-checked statistics per key (nulls, null keys, unseen
// keys, joint keys), split fits, state through Parquet.
#include <cmath>

#include <gtest/gtest.h>

#include "fit_helpers.h"
#include "kiln/prep/join_groupby.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::ColumnNamed;
using testing::FitInPieces;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::SaveAndLoad;
using testing::Values;

RecordBatchPtr Visits() {
  return MakeBatch({{"u", DataType::Int64()}, {"c", DataType::String()}, {"v", DataType::Float64()}},
                   {MakeColumn<int64_t>(DataType::Int64(), {1, 1, 2, std::nullopt, 1}),
                    MakeColumn<std::string>(DataType::String(), {"x", "y", "x", "x", "x"}),
                    MakeColumn<double>(DataType::Float64(), {2, 4, std::nullopt, 5, 6})});
}

using S = GroupStat;

TEST(JoinGroupbyTest, StatisticsPerKeyJoinedBack) {
  JoinGroupby op({{"u"}, {{"v"}}, {S::kCount, S::kSum, S::kMean, S::kStd, S::kMin, S::kMax}});
  FitInPieces(&op, Visits(), 3);
  auto out = op.Transform(Visits());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)->schema()->ToString(),
            "u: int64, c: string, v: float64, u_count: int64 not null, u_v_sum: float64 not null, u_v_mean: float64, "
            "u_v_std: float64, u_v_min: float64, u_v_max: float64");
  // Key 1: v = 2, 4, 6. Key 2: only a null. Null key: 5.
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*out, "u_count")), (std::vector<int64_t>{3, 3, 1, 1, 3}));
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "u_v_sum")), (std::vector<double>{12, 12, 0, 5, 12}));
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "u_v_mean"), -1), (std::vector<double>{4, 4, -1, 5, 4}));
  EXPECT_DOUBLE_EQ(ColumnNamed(*out, "u_v_std").Value<double>(0), std::sqrt(8.0 / 3));
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "u_v_std"), -1)[3], 0);
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "u_v_min"), -1), (std::vector<double>{2, 2, -1, 5, 2}));
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "u_v_max"), -1), (std::vector<double>{6, 6, -1, 5, 6}));
}

TEST(JoinGroupbyTest, JointKeysAndUnseenKeys) {
  JoinGroupby op({{"u", "c"}, {{"v"}}, {S::kCount, S::kMean}});
  FitInPieces(&op, Visits(), 2);
  auto fresh = MakeBatch({{"u", DataType::Int32()}, {"c", DataType::String()}, {"v", DataType::Float64()}},
                         {MakeColumn<int32_t>(DataType::Int32(), {1, 1, 9}),
                          MakeColumn<std::string>(DataType::String(), {"x", "y", "x"}),
                          MakeColumn<double>(DataType::Float64(), {0, 0, 0})});
  auto out = op.Transform(fresh);  // An int32 key matches the fitted int64 key.
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*out, "u_c_count")), (std::vector<int64_t>{2, 1, 0}));
  EXPECT_EQ(Values<double>(ColumnNamed(*out, "u_c_v_mean"), -1), (std::vector<double>{4, 4, -1}));
}

TEST(JoinGroupbyTest, EmptyFitAndEmptyBatch) {
  JoinGroupby op({{"c"}, {}, {S::kCount}});
  FitInPieces(&op, Visits()->Slice(0, 0), 2);
  auto out = op.Transform(Visits());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*out, "c_count")), std::vector<int64_t>(5, 0));
  out = op.Transform(Visits()->Slice(0, 0));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->num_rows(), 0);
}

TEST(JoinGroupbyTest, StateRoundTripAndBindErrors) {
  JoinGroupby op({{"u"}, {{"v"}}, {S::kCount, S::kStd, S::kMax}});
  FitInPieces(&op, Visits(), 2);
  JoinGroupby loaded({{"u"}, {{"v"}}, {S::kCount, S::kStd, S::kMax}});
  SaveAndLoad(op, &loaded, Visits()->schema());
  auto a = op.Transform(Visits());
  auto b = loaded.Transform(Visits());
  ASSERT_TRUE(a.ok() && b.ok());
  for (int c = 3; c < (*a)->num_columns(); ++c) {
    if ((*a)->column(c).type() == DataType::Int64()) {
      EXPECT_EQ(Values<int64_t>((*a)->column(c)), Values<int64_t>((*b)->column(c)));
    } else {
      EXPECT_EQ(Values<double>((*a)->column(c), -1), Values<double>((*b)->column(c), -1));
    }
  }
  EXPECT_FALSE(JoinGroupby({{}, {}, {S::kCount}}).Bind(Visits()->schema()).ok());
  EXPECT_FALSE(JoinGroupby({{"v"}, {}, {S::kCount}}).Bind(Visits()->schema()).ok());  // Float key.
  EXPECT_FALSE(JoinGroupby({{"u"}, {{"c"}}, {S::kMean}}).Bind(Visits()->schema()).ok());  // String column.
}

}  // namespace
}  // namespace kiln::prep
