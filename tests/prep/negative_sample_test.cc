// NegativeSample: the pool and its attributes, negatives after positives,
// collisions, seeded draws independent of splitting, row ids, popularity,
// state, empty input.
#include <map>

#include <gtest/gtest.h>

#include "fit_helpers.h"
#include "kiln/prep/negative_sample.h"
#include "kiln/prep/row_id.h"
#include "table_builder.h"

namespace kiln::prep {
namespace {

using testing::ColumnNamed;
using testing::FitInPieces;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::SaveAndLoad;
using testing::Values;

// Items 10 (price 1.5, cat "a"), 20 (2.5, "b"), 30 (3.5, "c"); the second
// row of item 10 carries other attributes, which the pool ignores (first row wins).
RecordBatchPtr Events(int64_t first_row = 0) {
  return WithRowIds(
      *MakeBatch({{"user", DataType::Int64()},
                  {"item", DataType::Int64()},
                  {"price", DataType::Float64()},
                  {"cat", DataType::String()},
                  {"label", DataType::Int32()}},
                 {MakeColumn<int64_t>(DataType::Int64(), {1, 1, 2, 3, 3}),
                  MakeColumn<int64_t>(DataType::Int64(), {10, 20, 30, 10, std::nullopt}),
                  MakeColumn<double>(DataType::Float64(), {1.5, 2.5, 3.5, 9.9, 0}),
                  MakeColumn<std::string>(DataType::String(), {"a", "b", "c", "z", "q"}),
                  MakeColumn<int32_t>(DataType::Int32(), {1, 0, 1, 1, std::nullopt})}),
      first_row);
}

NegativeSampleOptions Options() {
  NegativeSampleOptions options;
  options.item_columns = {"price", "cat"};
  options.negatives = 2;
  options.seed = 5;
  return options;
}

TEST(NegativeSampleTest, NegativesFollowEachPositiveWithPoolAttributes) {
  NegativeSample op(Options());
  FitInPieces(&op, Events(), 2);
  EXPECT_EQ(op.pool_size(), 3);
  auto out = op.Transform(Events());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // 3 positives with 2 negatives each, plus 5 input rows.
  ASSERT_EQ((*out)->num_rows(), 11);
  std::vector<int64_t> users = Values<int64_t>(ColumnNamed(*out, "user"));
  EXPECT_EQ(users, (std::vector<int64_t>{1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3}));
  std::vector<int32_t> labels = Values<int32_t>(ColumnNamed(*out, "label"), -1);
  EXPECT_EQ(labels, (std::vector<int32_t>{1, 0, 0, 0, 1, 0, 0, 1, 0, 0, -1}));
  std::vector<int64_t> items = Values<int64_t>(ColumnNamed(*out, "item"), -1);
  std::vector<double> prices = Values<double>(ColumnNamed(*out, "price"));
  const Column& cats = ColumnNamed(*out, "cat");
  std::map<int64_t, std::pair<double, std::string>> pool = {{10, {1.5, "a"}}, {20, {2.5, "b"}}, {30, {3.5, "c"}}};
  std::vector<int64_t> own = {10, 10, 10, 20, 30, 30, 30, 10, 10, 10, -1};
  for (int64_t row = 0; row < 11; ++row) {
    if (labels[row] != 0 || row == 3) continue;  // Row 3 is the input's own negative.
    EXPECT_NE(items[row], own[row]) << row;      // Never the positive's item.
    ASSERT_TRUE(pool.count(items[row])) << row;
    EXPECT_EQ(prices[row], pool[items[row]].first) << row;
    EXPECT_EQ(cats.GetString(row), pool[items[row]].second) << row;
  }
  EXPECT_EQ(prices[7], 9.9);  // The positive keeps its own attributes.
  auto ids = RowIds(**out, "test");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(std::vector<int64_t>(*ids, *ids + 11), (std::vector<int64_t>{0, 0, 0, 1, 2, 2, 2, 3, 3, 3, 4}));
}

TEST(NegativeSampleTest, DrawsDependOnRowIdsNotOnSplitting) {
  NegativeSample whole(Options());
  FitInPieces(&whole, Events(), 1);
  NegativeSample split(Options());
  FitInPieces(&split, Events(), 4);
  auto a = whole.Transform(Events());
  auto b = split.Transform(Events()->Slice(2, 3));
  ASSERT_TRUE(a.ok() && b.ok());
  std::vector<int64_t> tail = Values<int64_t>(ColumnNamed(*a, "item"), -1);
  tail.erase(tail.begin(), tail.begin() + 4);
  EXPECT_EQ(tail, Values<int64_t>(ColumnNamed(*b, "item"), -1));
}

TEST(NegativeSampleTest, PopularityOnePoolItemStateAndEmptyInput) {
  NegativeSampleOptions options = Options();
  options.popularity = true;
  options.negatives = 3;
  NegativeSample op(options);
  FitInPieces(&op, Events(), 2);
  NegativeSample loaded(options);
  SaveAndLoad(op, &loaded, Events()->schema());
  EXPECT_EQ(loaded.pool_size(), 3);
  auto a = op.Transform(Events());
  auto b = loaded.Transform(Events());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Values<int64_t>(ColumnNamed(*a, "item"), -1), Values<int64_t>(ColumnNamed(*b, "item"), -1));
  EXPECT_EQ(Values<double>(ColumnNamed(*a, "price")), Values<double>(ColumnNamed(*b, "price")));

  // A pool of one item: every draw collides with a positive of that item, so no negatives.
  NegativeSample single(Options());
  FitInPieces(&single, Events()->Slice(0, 1), 1);
  auto out = single.Transform(Events()->Slice(0, 1));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->num_rows(), 1);
  // An empty fit: no pool, rows pass through.
  NegativeSample empty(Options());
  FitInPieces(&empty, Events()->Slice(0, 0), 2);
  out = empty.Transform(Events());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->num_rows(), 5);
  out = op.Transform(Events()->Slice(0, 0));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)->num_rows(), 0);
}

TEST(NegativeSampleTest, BindErrors) {
  NegativeSampleOptions options = Options();
  options.label = "cat";
  EXPECT_FALSE(NegativeSample(options).Bind(Events()->schema()).ok());
  options = Options();
  options.item = "price";
  EXPECT_FALSE(NegativeSample(options).Bind(Events()->schema()).ok());
  options = Options();
  options.item_columns = {"nope"};
  EXPECT_FALSE(NegativeSample(options).Bind(Events()->schema()).ok());
}

}  // namespace
}  // namespace kiln::prep
