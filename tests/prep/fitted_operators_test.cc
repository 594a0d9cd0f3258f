// Normalize and Categorify: fitting from split, merged and serialized
// accumulators, transforms, and the saved state.
#include <cmath>

#include <gtest/gtest.h>

#include "kiln/prep/categorify.h"
#include "kiln/prep/normalize.h"
#include "table_builder.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using testing::FitSplit;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::Values;

RecordBatchPtr Numbers() {
  return MakeBatch({{"v", DataType::Int32()}}, {MakeColumn<int32_t>(DataType::Int32(), {1, std::nullopt, 3, 5, 7})});
}

TEST(NormalizeTest, StandardUsesPopulationStd) {
  Normalize op({{}, NormalizeMethod::kStandard, DataType::Float64()});
  FitSplit(&op, Numbers());
  ASSERT_EQ(op.moments().size(), 1u);
  EXPECT_DOUBLE_EQ(op.moments()[0].mean, 4.0);
  auto out = op.Transform(Numbers());
  ASSERT_TRUE(out.ok());
  double std = std::sqrt(5.0);  // Deviations -3, -1, 1, 3: mean square 5.
  EXPECT_DOUBLE_EQ((*out)->column(0).Value<double>(0), -3 / std);
  EXPECT_TRUE((*out)->column(0).IsNull(1));
  EXPECT_DOUBLE_EQ((*out)->column(0).Value<double>(4), 3 / std);
}

TEST(NormalizeTest, MinMaxAndConstantColumns) {
  Normalize op({{}, NormalizeMethod::kMinMax, DataType::Float32()});
  FitSplit(&op, Numbers());
  auto out = op.Transform(Numbers());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<float>((*out)->column(0), -1), (std::vector<float>{0, -1, 1 / 3.0f, 2 / 3.0f, 1}));

  auto constant = MakeBatch({{"v", DataType::Float64()}}, {MakeColumn<double>(DataType::Float64(), {2, 2})});
  Normalize flat({{}, NormalizeMethod::kStandard, DataType::Float64()});
  FitSplit(&flat, constant);
  out = flat.Transform(constant);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<double>((*out)->column(0)), (std::vector<double>{0, 0}));
}

TEST(NormalizeTest, StateRoundTrip) {
  Normalize op({{}, NormalizeMethod::kStandard, DataType::Float64()});
  FitSplit(&op, Numbers());
  kiln::testing::TempDir dir;
  FittedStateWriter writer(dir.path());
  ASSERT_TRUE(op.SaveState("step1_normalize", &writer).ok());
  ASSERT_TRUE(writer.Finish().ok());
  auto reader = FittedStateReader::Open(dir.path());
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Normalize loaded({{}, NormalizeMethod::kStandard, DataType::Float64()});
  ASSERT_TRUE(loaded.Bind(Numbers()->schema()).ok());
  ASSERT_TRUE(loaded.LoadState("step1_normalize", *reader).ok());
  auto a = op.Transform(Numbers());
  auto b = loaded.Transform(Numbers());
  EXPECT_EQ(Values<double>((*a)->column(0)), Values<double>((*b)->column(0)));
}

RecordBatchPtr Categories() {
  // Counts: b 3, a 2, c 2, d 1; plus two nulls.
  return MakeBatch(
      {{"s", DataType::String()}, {"u", DataType::UInt32()}},
      {MakeColumn<std::string>(DataType::String(),
                               {"c", "b", std::nullopt, "a", "b", "d", "c", "a", "b", std::nullopt}),
       MakeColumn<uint32_t>(DataType::UInt32(), {30, 20, std::nullopt, 10, 20, 40, 30, 10, 20, 0xFFFFFFFFu})});
}

TEST(CategorifyTest, FrequencyOrderTiesByValue) {
  Categorify op({{{"s", "u"}}, 1, 0, CategoryOrder::kFrequency, 0, 0, "", false});
  FitSplit(&op, Categories());
  EXPECT_EQ(op.dictionary_sizes(), (std::vector<int64_t>{4, 5}));
  auto out = op.Transform(Categories());
  ASSERT_TRUE(out.ok());
  // b=1, a=2, c=3, d=4; null -> 0.
  EXPECT_EQ(Values<int32_t>((*out)->column(0)), (std::vector<int32_t>{3, 1, 0, 2, 1, 4, 3, 2, 1, 0}));
  // 20=1, 10=2, 30=3, 40=4, 0xFFFFFFFF (the map's empty marker, a valid key)=5.
  EXPECT_EQ(Values<int32_t>((*out)->column(1)), (std::vector<int32_t>{3, 1, 0, 2, 1, 4, 3, 2, 1, 5}));
  EXPECT_EQ((*out)->column(0).null_count(), 0);
}

TEST(CategorifyTest, ThresholdMaxSizeValueOrderAndFixedIds) {
  Categorify op({{{"s"}}, 2, 2, CategoryOrder::kValue, 1, 2, "", false});
  FitSplit(&op, Categories());
  // Candidates b(3), a(2), c(2); max 2 keeps b and a; by value: a=3, b=4.
  auto out = op.Transform(Categories());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int32_t>((*out)->column(0)), (std::vector<int32_t>{2, 4, 1, 3, 4, 2, 2, 3, 4, 1}));
}

TEST(CategorifyTest, EmptyInputGivesEmptyDictionaries) {
  Categorify op({{{"s"}}, 1, 0, CategoryOrder::kFrequency, 0, 0, "", false});
  FitSplit(&op, Categories()->Slice(0, 0));
  EXPECT_EQ(op.dictionary_sizes(), (std::vector<int64_t>{0}));
  auto out = op.Transform(Categories());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int32_t>((*out)->column(0)), std::vector<int32_t>(10, 0));
}

TEST(CategorifyTest, StateRoundTripThroughParquet) {
  Categorify op({{{"s", "u"}}, 2, 0, CategoryOrder::kFrequency, 0, 0, "", false});
  FitSplit(&op, Categories());
  kiln::testing::TempDir dir;
  FittedStateWriter writer(dir.path());
  ASSERT_TRUE(op.SaveState("step1_categorify", &writer).ok());
  ASSERT_TRUE(writer.Finish().ok());
  auto reader = FittedStateReader::Open(dir.path());
  ASSERT_TRUE(reader.ok());
  Categorify loaded({{{"s", "u"}}, 2, 0, CategoryOrder::kFrequency, 0, 0, "", false});
  ASSERT_TRUE(loaded.Bind(Categories()->schema()).ok());
  Status status = loaded.LoadState("step1_categorify", *reader);
  ASSERT_TRUE(status.ok()) << status.ToString();
  auto a = op.Transform(Categories());
  auto b = loaded.Transform(Categories());
  for (int c = 0; c < 2; ++c) EXPECT_EQ(Values<int32_t>((*a)->column(c)), Values<int32_t>((*b)->column(c)));
}

}  // namespace
}  // namespace kiln::prep
