// Filter and its expression language: types, nulls, in-lists, errors with
// positions, row ids following the rows, empty input.
#include <gtest/gtest.h>

#include "fit_helpers.h"
#include "kiln/prep/expression.h"
#include "kiln/prep/filter.h"
#include "kiln/prep/row_id.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::ColumnNamed;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::Values;

RecordBatchPtr Orders() {
  return MakeBatch({{"label", DataType::Int32()},
                    {"price", DataType::Float64()},
                    {"country", DataType::String()},
                    {"user", DataType::Int64()},
                    {"vip", DataType::Bool()}},
                   {MakeColumn<int32_t>(DataType::Int32(), {1, 1, 0, 1, 1, std::nullopt}),
                    MakeColumn<double>(DataType::Float64(), {0.9, 0.4, 2.0, std::nullopt, 3.0, 5.0}),
                    MakeColumn<std::string>(DataType::String(), {"DE", "FR", "DE", "FR", "US", "DE"}),
                    MakeColumn<int64_t>(DataType::Int64(), {10, 11, std::nullopt, 13, 14, 15}),
                    MakeColumn<uint8_t>(DataType::Bool(), {1, 0, 1, std::nullopt, 0, 1})});
}

// The rows `expression` keeps, by the value of column user (-1 for null).
std::vector<int64_t> Kept(const std::string& expression, RecordBatchPtr batch = Orders()) {
  Filter op({expression});
  auto bound = op.Bind(batch->schema());
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  if (!bound.ok()) return {};
  auto out = op.Transform(batch);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? Values<int64_t>(ColumnNamed(*out, "user"), -1) : std::vector<int64_t>{};
}

Status BindError(const std::string& expression) {
  auto parsed = Expression::Parse(expression);
  if (!parsed.ok()) return parsed.status();
  return parsed->Bind(*Orders()->schema());
}

TEST(FilterTest, TheIssueExample) {
  EXPECT_EQ(Kept("label == 1 and price > 0.5 and country in ('DE','FR') and not is_null(user)"),
            (std::vector<int64_t>{10}));
}

TEST(FilterTest, ComparisonsArithmeticAndPrecedence) {
  EXPECT_EQ(Kept("price * 2 >= 4"), (std::vector<int64_t>{-1, 14, 15}));
  EXPECT_EQ(Kept("price - 1 / 2 < 0.5 or user = 14"), (std::vector<int64_t>{10, 11, 14}));
  EXPECT_EQ(Kept("(price + 1) * 2 > 5 and -price < -2.5"), (std::vector<int64_t>{14, 15}));
  EXPECT_EQ(Kept("country != 'DE'"), (std::vector<int64_t>{11, 13, 14}));
  EXPECT_EQ(Kept("country < \"E\""), (std::vector<int64_t>{10, -1, 15}));  // Bytewise.
  EXPECT_EQ(Kept("user not in (10, 11, 13)"), (std::vector<int64_t>{14, 15}));
  EXPECT_EQ(Kept("user in (-5, 15)"), (std::vector<int64_t>{15}));
  EXPECT_EQ(Kept("vip"), (std::vector<int64_t>{10, -1, 15}));
  EXPECT_EQ(Kept("vip == false"), (std::vector<int64_t>{11, 14}));
  EXPECT_EQ(Kept("TRUE"), (std::vector<int64_t>{10, 11, -1, 13, 14, 15}));
  EXPECT_EQ(Kept("1 > 2"), (std::vector<int64_t>{}));
}

TEST(FilterTest, NullRules) {
  // A comparison with null is false, and `not` negates that.
  EXPECT_EQ(Kept("price > 0"), (std::vector<int64_t>{10, 11, -1, 14, 15}));
  EXPECT_EQ(Kept("not (price > 0)"), (std::vector<int64_t>{13}));
  EXPECT_EQ(Kept("label != 1"), (std::vector<int64_t>{-1}));
  EXPECT_EQ(Kept("is_null(label)"), (std::vector<int64_t>{15}));
  EXPECT_EQ(Kept("is_null(price + user)"), (std::vector<int64_t>{-1, 13}));
  EXPECT_EQ(Kept("not vip"), (std::vector<int64_t>{11, 13, 14}));  // Null vip reads as false.
  EXPECT_EQ(Kept("is_null(vip)"), (std::vector<int64_t>{13}));
  EXPECT_EQ(Kept("user in (13) or label in (0)"), (std::vector<int64_t>{-1, 13}));
}

TEST(FilterTest, ErrorsNamePositionsAndColumns) {
  Status status = BindError("label == 1 and prize > 0");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("position 16: unknown column 'prize'"), std::string::npos) << status.ToString();
  status = BindError("label == 'x'");
  EXPECT_NE(status.message().find("position 7"), std::string::npos) << status.ToString();
  status = BindError("price > ");
  EXPECT_NE(status.message().find("position 9: expected a value"), std::string::npos) << status.ToString();
  status = BindError("country in ('DE', 3)");
  EXPECT_NE(status.message().find("'in' list of a string"), std::string::npos) << status.ToString();
  status = BindError("(price > 1");
  EXPECT_NE(status.message().find("expected ')'"), std::string::npos) << status.ToString();
  status = BindError("price + 1");
  EXPECT_NE(status.message().find("not a condition"), std::string::npos) << status.ToString();
  status = BindError("country == 'DE");
  EXPECT_NE(status.message().find("position 12: unterminated quote"), std::string::npos) << status.ToString();
  status = BindError("price # 2");
  EXPECT_NE(status.message().find("unexpected character '#'"), std::string::npos) << status.ToString();
  EXPECT_FALSE(BindError(std::string(5000, '(') + "1 > 0" + std::string(5000, ')')).ok());  // Too deep.
  EXPECT_FALSE(Filter({""}).Bind(Orders()->schema()).ok());
}

TEST(FilterTest, RowIdsFollowTheRowsAndEmptyInputStaysEmpty) {
  RecordBatchPtr batch = WithRowIds(*Orders(), 100);
  Filter op({"country == 'FR' or user == 15"});
  ASSERT_TRUE(op.Bind(batch->schema()).ok());
  auto out = op.Transform(batch);
  ASSERT_TRUE(out.ok());
  auto ids = RowIds(**out, "test");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(std::vector<int64_t>(*ids, *ids + (*out)->num_rows()), (std::vector<int64_t>{101, 103, 105}));
  auto empty = op.Transform(batch->Slice(0, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->num_rows(), 0);
  // Backquoted names reach any column.
  EXPECT_EQ(Kept("`user` > 13"), (std::vector<int64_t>{14, 15}));
}

}  // namespace
}  // namespace kiln::prep
