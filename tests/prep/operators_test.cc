// The stateless operators on small hand-checked batches, nulls and empty input.
#include <cmath>

#include <gtest/gtest.h>

#include "kiln/prep/cast.h"
#include "kiln/prep/clip.h"
#include "kiln/prep/fill_na.h"
#include "kiln/prep/log1p.h"
#include "kiln/prep/projection.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::MakeBatch;
using testing::MakeColumn;
using testing::Values;

RecordBatchPtr Sample() {
  return MakeBatch({{"a", DataType::Int32()}, {"x", DataType::Float64()}, {"s", DataType::String()}},
                   {MakeColumn<int32_t>(DataType::Int32(), {3, std::nullopt, -2, 0}),
                    MakeColumn<double>(DataType::Float64(), {1.5, 2.5, std::nullopt, -4.0}),
                    MakeColumn<std::string>(DataType::String(), {"p", std::nullopt, "q", ""})});
}

RecordBatchPtr BindAndTransform(Operator* op, const RecordBatchPtr& batch) {
  auto schema = op->Bind(batch->schema());
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  auto out = op->Transform(batch);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  if (!out.ok()) return nullptr;
  EXPECT_EQ(*(*out)->schema(), **schema) << "Transform must produce the schema Bind promised";
  return *out;
}

TEST(FillNaTest, FillsEachTypeAndKeepsValues) {
  FillNa op({{}, "7"});
  RecordBatchPtr out = BindAndTransform(&op, Sample());
  EXPECT_EQ(Values<int32_t>(out->column(0)), (std::vector<int32_t>{3, 7, -2, 0}));
  EXPECT_EQ(Values<double>(out->column(1)), (std::vector<double>{1.5, 2.5, 7, -4}));
  EXPECT_EQ(out->column(2).GetString(1), "7");
  EXPECT_EQ(out->column(2).GetString(3), "");
  EXPECT_EQ(out->column(0).null_count() + out->column(1).null_count() + out->column(2).null_count(), 0);
}

TEST(FillNaTest, RejectsAValueThatDoesNotFit) {
  FillNa op({{{"a"}}, "1.5"});
  EXPECT_FALSE(op.Bind(Sample()->schema()).ok());
  FillNa unknown({{{"nope"}}, "0"});
  EXPECT_EQ(unknown.Bind(Sample()->schema()).status().code(), Status::Code::kNotFound);
}

TEST(ClipTest, BoundsRoundInwardsOnIntegersAndKeepNulls) {
  Clip op({{{"a", "x"}}, -1.5, 2.5});
  RecordBatchPtr out = BindAndTransform(&op, Sample());
  EXPECT_EQ(Values<int32_t>(out->column(0), 99), (std::vector<int32_t>{2, 99, -1, 0}));
  EXPECT_EQ(Values<double>(out->column(1), 99), (std::vector<double>{1.5, 2.5, 99, -1.5}));
  Clip none({{}, std::nullopt, std::nullopt});
  EXPECT_FALSE(none.Bind(Sample()->schema()).ok());
}

TEST(Log1pTest, NegativeToZeroAndFloat32Output) {
  Log1p op({{{"a"}}, true, DataType::Float32()});
  RecordBatchPtr out = BindAndTransform(&op, Sample());
  ASSERT_EQ(out->column(0).type(), DataType::Float32());
  EXPECT_FLOAT_EQ(out->column(0).Value<float>(0), static_cast<float>(std::log(4.0)));
  EXPECT_TRUE(out->column(0).IsNull(1));
  EXPECT_EQ(out->column(0).Value<float>(2), 0.0f);
  EXPECT_EQ(out->column(0).Value<float>(3), 0.0f);
}

TEST(Log1pTest, WithoutClampNegativesFollowTheFunction) {
  Log1p op({{{"x"}}, false, DataType::Float64()});
  RecordBatchPtr out = BindAndTransform(&op, Sample());
  EXPECT_DOUBLE_EQ(out->column(1).Value<double>(0), std::log1p(1.5));
  EXPECT_TRUE(std::isnan(out->column(1).Value<double>(3)));
}

TEST(Log1pTest, LargeIntegersBypassTheTable) {
  auto batch = MakeBatch({{"v", DataType::Int64()}}, {MakeColumn<int64_t>(DataType::Int64(), {4095, 4096, 1000000})});
  Log1p op({{}, true, DataType::Float32()});
  RecordBatchPtr out = BindAndTransform(&op, batch);
  EXPECT_EQ(out->column(0).Value<float>(0), static_cast<float>(std::log1p(4095.0)));
  EXPECT_EQ(out->column(0).Value<float>(1), static_cast<float>(std::log1p(4096.0)));
  EXPECT_EQ(out->column(0).Value<float>(2), static_cast<float>(std::log1p(1e6)));
}

TEST(CastTest, NumbersStringsAndErrors) {
  Cast to_string({{{"a"}}, DataType::String()});
  RecordBatchPtr out = BindAndTransform(&to_string, Sample());
  EXPECT_EQ(out->column(0).GetString(0), "3");
  EXPECT_TRUE(out->column(0).IsNull(1));

  auto text = MakeBatch({{"t", DataType::String()}}, {MakeColumn<std::string>(DataType::String(), {"12", std::nullopt, "-3"})});
  Cast to_int({{{"t"}}, DataType::Int64()});
  out = BindAndTransform(&to_int, text);
  EXPECT_EQ(Values<int64_t>(out->column(0), 99), (std::vector<int64_t>{12, 99, -3}));

  auto bad = MakeBatch({{"t", DataType::String()}}, {MakeColumn<std::string>(DataType::String(), {"1", "x1"})});
  ASSERT_TRUE(to_int.Bind(bad->schema()).ok());
  auto failed = to_int.Transform(bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("row 1"), std::string::npos) << failed.status().ToString();

  Cast truncate({{{"x"}}, DataType::Int32()});
  out = BindAndTransform(&truncate, Sample());
  EXPECT_EQ(Values<int32_t>(out->column(1), 99), (std::vector<int32_t>{1, 2, 99, -4}));
}

TEST(ProjectionTest, SelectDropRename) {
  Select select({{{"s", "a"}}});
  RecordBatchPtr out = BindAndTransform(&select, Sample());
  ASSERT_EQ(out->num_columns(), 2);
  EXPECT_EQ(out->schema()->field(0).name, "s");

  Drop drop({{{"x"}}});
  out = BindAndTransform(&drop, Sample());
  EXPECT_EQ(out->schema()->IndexOf("x"), -1);
  EXPECT_EQ(out->num_columns(), 2);

  Rename swap(RenameOptions{{{"a", "s"}, {"s", "a"}}});
  out = BindAndTransform(&swap, Sample());
  EXPECT_EQ(out->schema()->field(0).name, "s");
  EXPECT_EQ(out->schema()->field(2).name, "a");
  Rename collide(RenameOptions{{{"a", "x"}}});
  EXPECT_FALSE(collide.Bind(Sample()->schema()).ok());
}

TEST(OperatorsTest, EmptyBatchesStayEmpty) {
  RecordBatchPtr empty = Sample()->Slice(0, 0);
  FillNa fill({{}, "0"});
  Log1p log({{}, true, DataType::Float32()});
  Clip clip({{}, 0.0, 1.0});
  for (Operator* op : std::vector<Operator*>{&fill, &log, &clip}) {
    RecordBatchPtr out = BindAndTransform(op, empty);
    ASSERT_NE(out, nullptr) << op->kind();
    EXPECT_EQ(out->num_rows(), 0) << op->kind();
  }
}

}  // namespace
}  // namespace kiln::prep
