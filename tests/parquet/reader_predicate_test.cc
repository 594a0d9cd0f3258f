// Predicates: parsing "col op value", typing the value by the column, pruning
// by statistics (never wrongly, never without statistics) and row matching.
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/parquet/predicate.h"

namespace kiln::parquet {
namespace {

Predicate Bound(const std::string& text, const DataType& type) {
  Result<PredicateText> parsed = ParsePredicate(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  Result<Predicate> predicate = Predicate::Bind(*parsed, type);
  EXPECT_TRUE(predicate.ok()) << predicate.status().ToString();
  return *predicate;
}

template <typename T>
std::shared_ptr<Column> One(const DataType& type, T value) {
  ColumnBuilder builder(type);
  builder.Append(value);
  return builder.Finish();
}

ChunkStatistics Stats(std::shared_ptr<Column> min, std::shared_ptr<Column> max, int64_t nulls = 0,
                      int64_t values = 100) {
  ChunkStatistics statistics;
  statistics.min = std::move(min);
  statistics.max = std::move(max);
  statistics.ordered = true;
  statistics.exact = true;
  statistics.has_null_count = true;
  statistics.null_count = nulls;
  statistics.num_values = values;
  return statistics;
}

TEST(ReaderPredicateTest, ParsesOperatorsQuotesAndNullTests) {
  struct Case {
    const char* text;
    const char* column;
    CompareOp op;
    const char* value;
  } cases[] = {
      {"price >= 10.5", "price", CompareOp::kGreaterEqual, "10.5"},
      {"a=1", "a", CompareOp::kEqual, "1"},
      {"a == 1", "a", CompareOp::kEqual, "1"},
      {"a != 'x y'", "a", CompareOp::kNotEqual, "x y"},
      {"a <> \"q\"", "a", CompareOp::kNotEqual, "q"},
      {"a<2", "a", CompareOp::kLess, "2"},
      {"a <= -3", "a", CompareOp::kLessEqual, "-3"},
      {"a > 2020-01-01", "a", CompareOp::kGreater, "2020-01-01"},
      {"\"odd = name\" = 5", "odd = name", CompareOp::kEqual, "5"},
      {"city is null", "city", CompareOp::kIsNull, ""},
      {"city IS NOT NULL", "city", CompareOp::kIsNotNull, ""},
  };
  for (const Case& c : cases) {
    Result<PredicateText> parsed = ParsePredicate(c.text);
    ASSERT_TRUE(parsed.ok()) << c.text << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->column, c.column) << c.text;
    EXPECT_EQ(parsed->op, c.op) << c.text;
    EXPECT_EQ(parsed->value, c.value) << c.text;
  }
  for (const char* bad : {"", "price", "= 3", "price ~ 3", "> >"}) {
    EXPECT_EQ(ParsePredicate(bad).status().code(), Status::Code::kInvalidArgument) << bad;
  }
}

TEST(ReaderPredicateTest, ValuesAreTypedByTheColumn) {
  EXPECT_EQ(Bound("d >= 2020-02-03", DataType::Date32()).ToString(), "d >= 2020-02-03");
  EXPECT_EQ(Bound("p < 12.5", DataType::Decimal(9, 2)).ToString(), "p < 12.50");
  EXPECT_EQ(Bound("t = 2020-01-01 00:00:01", DataType::Timestamp()).ToString(), "t = 2020-01-01 00:00:01");
  EXPECT_EQ(Bound("t = 1000000", DataType::Timestamp()).ToString(), "t = 1970-01-01 00:00:01");
  for (auto [text, type] : {std::pair{"a = x", DataType::Int64()}, std::pair{"a = 3000000000", DataType::Int32()},
                            std::pair{"a = -1", DataType::UInt32()}, std::pair{"p = 1.005", DataType::Decimal(9, 2)},
                            std::pair{"d = 2020-13-01", DataType::Date32()}, std::pair{"b = yes", DataType::Bool()}}) {
    auto predicate = Predicate::Bind(*ParsePredicate(text), type);
    EXPECT_EQ(predicate.status().code(), Status::Code::kInvalidArgument) << text;
  }
  EXPECT_EQ(Predicate::Bind(*ParsePredicate("l = 1"), DataType::List(DataType::Int64())).status().code(),
            Status::Code::kNotSupported);
}

TEST(ReaderPredicateTest, StatisticsPruneOnlyWhatCannotMatch) {
  const DataType type = DataType::Int64();
  const ChunkStatistics range = Stats(One(type, int64_t{10}), One(type, int64_t{20}));
  struct Case {
    const char* predicate;
    bool may_match;
  } cases[] = {
      {"x = 5", false},   {"x = 10", true},  {"x = 15", true},     {"x = 20", true},
      {"x = 21", false},  {"x < 10", false}, {"x < 11", true},     {"x <= 10", true},
      {"x <= 9", false},  {"x > 20", false}, {"x > 19", true},     {"x >= 20", true},
      {"x >= 21", false}, {"x != 15", true}, {"x IS NULL", false}, {"x IS NOT NULL", true},
  };
  for (const Case& c : cases) EXPECT_EQ(Bound(c.predicate, type).MayMatch(range), c.may_match) << c.predicate;
  // != prunes only a chunk that holds that one value.
  EXPECT_FALSE(Bound("x != 7", type).MayMatch(Stats(One(type, int64_t{7}), One(type, int64_t{7}))));
  // Without statistics, or when their order is unknown, nothing is pruned.
  ChunkStatistics none;
  none.num_values = 100;
  EXPECT_TRUE(Bound("x = 5", type).MayMatch(none));
  EXPECT_TRUE(Bound("x IS NULL", type).MayMatch(none));
  ChunkStatistics unordered = range;
  unordered.ordered = false;
  EXPECT_TRUE(Bound("x = 5", type).MayMatch(unordered));
  // A chunk of nulls matches no comparison, but IS NULL.
  ChunkStatistics nulls;
  nulls.has_null_count = true;
  nulls.null_count = nulls.num_values = 100;
  EXPECT_FALSE(Bound("x = 5", type).MayMatch(nulls));
  EXPECT_TRUE(Bound("x IS NULL", type).MayMatch(nulls));
  EXPECT_FALSE(Bound("x IS NOT NULL", type).MayMatch(nulls));
}

TEST(ReaderPredicateTest, StringsCompareBytewiseAndNaNNeverPrunes) {
  const DataType text = DataType::String();
  ColumnBuilder low(text), high(text);
  low.AppendString("apple");
  high.AppendString("\xc3\xa9t\xc3\xa9");  // "été": bytes above ASCII sort last.
  const ChunkStatistics words = Stats(low.Finish(), high.Finish());
  EXPECT_TRUE(Bound("s > zebra", text).MayMatch(words));
  EXPECT_FALSE(Bound("s < apple", text).MayMatch(words));
  // Byte-array bounds may be truncated, so != never prunes them.
  EXPECT_TRUE(Bound("s != apple", text).MayMatch(Stats(words.min, words.min)));
  const DataType real = DataType::Float64();
  const ChunkStatistics reals = Stats(One(real, 1.0), One(real, 2.0));
  EXPECT_TRUE(Bound("f = nan", real).MayMatch(reals));
  EXPECT_TRUE(Bound("f != 1.5", real).MayMatch(Stats(One(real, 1.5), One(real, 1.5))));
  EXPECT_FALSE(Bound("f > 2", real).MayMatch(reals));
}

TEST(ReaderPredicateTest, RowsMatchAndFilter) {
  ColumnBuilder values(DataType::Int32());
  for (int32_t v : {5, 1, 9, 3}) values.Append(v);
  values.AppendNull();
  ColumnBuilder names(DataType::String());
  for (const char* name : {"a", "b", "c", "d", "e"}) names.AppendString(name);
  auto schema = std::make_shared<const Schema>(std::vector<Field>{{"v", DataType::Int32()}, {"n", DataType::String()}});
  auto batch = std::make_shared<const RecordBatch>(schema, std::vector{values.Finish(), names.Finish()}, 5);
  std::vector<uint8_t> matches;
  EXPECT_EQ(Bound("v >= 3", DataType::Int32()).Evaluate(batch->column(0), &matches), 3);
  EXPECT_EQ(matches, (std::vector<uint8_t>{1, 0, 1, 1, 0}));
  RecordBatchPtr filtered = FilterRows(batch, matches, 3);
  ASSERT_EQ(filtered->num_rows(), 3);
  EXPECT_EQ(filtered->column(1).GetString(2), "d");
  EXPECT_EQ(Bound("v != 5", DataType::Int32()).Evaluate(batch->column(0), &matches), 3);  // Null never matches.
  EXPECT_EQ(Bound("v IS NULL", DataType::Int32()).Evaluate(batch->column(0), &matches), 1);
  EXPECT_EQ(FilterRows(batch, std::vector<uint8_t>(5, 1), 5), batch);
}

}  // namespace
}  // namespace kiln::parquet
