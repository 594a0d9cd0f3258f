// Categorify's multi-value columns (a separator, list inputs) and joint
// dictionaries: hand-counted tables with nulls, empty strings and empty
// input, and the same options from YAML in a whole run.
#include <gtest/gtest.h>

#include "kiln/parquet/file_reader.h"
#include "kiln/prep/categorify.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/prep_job.h"
#include "table_builder.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using testing::FitSplit;
using testing::ListValues;
using testing::MakeBatch;
using testing::MakeColumn;
using testing::Values;
using Lists = std::vector<std::vector<int32_t>>;

CategorifyOptions Options(std::vector<std::string> columns) {
  CategorifyOptions options;
  options.columns.patterns = std::move(columns);
  return options;
}

RecordBatchPtr Tags() {
  return MakeBatch({{"tags", DataType::String()}},
                   {MakeColumn<std::string>(DataType::String(), {"a|b", "b", std::nullopt, "", "b||a", "c|"})});
}

TEST(CategorifyMultiValueTest, SeparatorCountsEachValue) {
  CategorifyOptions options = Options({"tags"});
  options.separator = "|";
  Categorify op(options);
  FitSplit(&op, Tags());
  // Values: a, b | b | (null) | (empty) | b, "", a | c, "".
  // Counts b 3, "" 2, a 2, c 1: b=1, ""=2 (ties by value: "" < "a"), a=3, c=4.
  EXPECT_EQ(op.dictionary_sizes(), (std::vector<int64_t>{4}));
  auto out = op.Transform(Tags());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)->schema()->field(0).type, DataType::List(DataType::Int32()));
  EXPECT_EQ(ListValues((*out)->column(0)), (Lists{{3, 1}, {1}, {}, {}, {1, 2, 3}, {4, 2}}));
}

TEST(CategorifyMultiValueTest, SeparatorWithThresholdAndFixedIds) {
  CategorifyOptions options = Options({"tags"});
  options.separator = "||";  // A two-byte separator: "b||a" is b and a; "a|b" one value.
  options.min_freq = 2;
  options.null_id = 1;
  options.oov_id = 2;
  Categorify op(options);
  FitSplit(&op, Tags());
  // Values: "a|b" | b | - | - | b, a | "c|". Only b reaches 2: b=3.
  auto out = op.Transform(Tags());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(ListValues((*out)->column(0)), (Lists{{2}, {3}, {}, {}, {3, 2}, {2}}));
}

TEST(CategorifyMultiValueTest, EmptyInput) {
  CategorifyOptions options = Options({"tags"});
  options.separator = "|";
  Categorify op(options);
  FitSplit(&op, Tags()->Slice(0, 0));
  EXPECT_EQ(op.dictionary_sizes(), (std::vector<int64_t>{0}));
  auto out = op.Transform(Tags());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(ListValues((*out)->column(0)), (Lists{{0, 0}, {0}, {}, {}, {0, 0, 0}, {0, 0}}));
  auto empty = op.Transform(Tags()->Slice(0, 0));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->num_rows(), 0);
}

// [5, 7], [7], null, [], [7, null, 9], sliced from a longer column so that
// the list offsets do not start at 0.
RecordBatchPtr IntLists() {
  ColumnBuilder builder(DataType::List(DataType::Int64()));
  auto row = [&](std::vector<std::optional<int64_t>> values) {
    for (const auto& value : values) {
      if (value) {
        builder.child().Append(*value);
      } else {
        builder.child().AppendNull();
      }
    }
    builder.AppendList();
  };
  row({1, 1, 1});
  row({5, 7});
  row({7});
  builder.AppendNull();
  row({});
  row({7, std::nullopt, 9});
  auto column = builder.Finish()->Slice(1, 5);
  auto batch = MakeBatch({{"items", DataType::List(DataType::Int64())}}, {column});
  return batch;
}

TEST(CategorifyMultiValueTest, ListInputNullElementsGetNullId) {
  CategorifyOptions options = Options({"items"});
  options.null_id = 1;
  options.oov_id = 2;
  Categorify op(options);
  FitSplit(&op, IntLists());
  // Counts 7: 3, 5: 1, 9: 1 -> 7=3, 5=4, 9=5.
  auto out = op.Transform(IntLists());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(ListValues((*out)->column(0)), (Lists{{4, 3}, {3}, {}, {}, {3, 1, 5}}));
}

RecordBatchPtr Friends() {
  return MakeBatch({{"user_id", DataType::String()}, {"friend_id", DataType::String()}, {"age", DataType::Int64()}},
                   {MakeColumn<std::string>(DataType::String(), {"u1", "u2", std::nullopt, "u1"}),
                    MakeColumn<std::string>(DataType::String(), {"u2", "u3", "u2", "u2"}),
                    MakeColumn<int64_t>(DataType::Int64(), {1, 2, 3, 4})});
}

TEST(CategorifyJointTest, ColumnsShareOneDictionary) {
  CategorifyOptions options = Options({"user_id", "friend_id"});
  options.joint = true;
  Categorify op(options);
  FitSplit(&op, Friends());
  // Over both columns: u2 4, u1 2, u3 1 -> u2=1, u1=2, u3=3.
  EXPECT_EQ(op.dictionary_sizes(), (std::vector<int64_t>{3, 3}));
  auto out = op.Transform(Friends());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int32_t>((*out)->column(0)), (std::vector<int32_t>{2, 1, 0, 2}));
  EXPECT_EQ(Values<int32_t>((*out)->column(1)), (std::vector<int32_t>{1, 3, 1, 1}));
  EXPECT_EQ(Values<int64_t>((*out)->column(2)), (std::vector<int64_t>{1, 2, 3, 4}));

  // Separately, u1 and u2 tie in user_id (2 each, by value: u1=1, u2=2).
  Categorify separate(Options({"user_id", "friend_id"}));
  FitSplit(&separate, Friends());
  out = separate.Transform(Friends());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Values<int32_t>((*out)->column(0)), (std::vector<int32_t>{1, 2, 0, 1}));
  EXPECT_EQ(Values<int32_t>((*out)->column(1)), (std::vector<int32_t>{1, 2, 1, 1}));
}

TEST(CategorifyJointTest, JointWithMultiValueAndTypeMismatch) {
  auto batch = MakeBatch({{"user_id", DataType::String()}, {"follows", DataType::String()}},
                         {MakeColumn<std::string>(DataType::String(), {"x", "y", ""}),
                          MakeColumn<std::string>(DataType::String(), {"y,z", "", "y"})});
  CategorifyOptions options = Options({"user_id", "follows"});
  options.joint = true;
  options.separator = ",";
  Categorify op(options);
  FitSplit(&op, batch);
  // Both columns are split: user_id "" holds no value. y 3, x 1, z 1: y=1, x=2, z=3.
  auto out = op.Transform(batch);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(ListValues((*out)->column(0)), (Lists{{2}, {1}, {}}));
  EXPECT_EQ(ListValues((*out)->column(1)), (Lists{{1, 3}, {}, {1}}));

  CategorifyOptions mixed = Options({"user_id", "age"});
  mixed.joint = true;
  Categorify bad(mixed);
  auto bound = bad.Bind(Friends()->schema());
  ASSERT_FALSE(bound.ok());
  EXPECT_EQ(bound.status().message(),
            "categorify: joint columns share one dictionary, but 'user_id' holds string and 'age' holds int64");
}

// Row i holds "v<i mod 37>" (null when i mod 100 is 99) and i mod 53. Over
// rows 0..1999 the strings appear 53 or 54 times (v0, v1, v10, v13, ... 54)
// and the numbers 37 or 38 times.
RecordBatchPtr ManyValues(int64_t first, int64_t rows) {
  std::vector<std::optional<std::string>> values;
  std::vector<std::optional<int64_t>> numbers;
  for (int64_t i = first; i < first + rows; ++i) {
    values.push_back(i % 100 == 99 ? std::nullopt : std::optional<std::string>("v" + std::to_string(i % 37)));
    numbers.push_back(i % 53);
  }
  return MakeBatch({{"s", DataType::String()}, {"n", DataType::Int64()}},
                   {MakeColumn<std::string>(DataType::String(), values), MakeColumn<int64_t>(DataType::Int64(), numbers)});
}

// Fits over 20 batches of 100 rows in two accumulators (as two slots would).
Status FitInBatches(Categorify* op) {
  Status status = op->Bind(ManyValues(0, 0)->schema()).status();
  if (!status.ok()) return status;
  auto first = op->NewAccumulator();
  auto second = op->NewAccumulator();
  for (int batch = 0; batch < 20 && status.ok(); ++batch) {
    status = (batch % 2 ? second : first)->Update(*ManyValues(batch * 100, 100));
  }
  if (status.ok()) status = first->Merge(*second);
  return status.ok() ? op->Fit(*first) : status;
}

TEST(CategorifyBudgetTest, SpilledCountsGiveTheSameDictionary) {
  CategorifyOptions options = Options({"s", "n"});
  options.min_freq = 38;  // Every string; the 39 numbers seen 38 times.
  Categorify in_memory(options);
  ASSERT_TRUE(FitInBatches(&in_memory).ok());
  kiln::testing::TempDir dir;
  Categorify spilled(options);
  // One byte per counter: every batch spills a run.
  spilled.SetMemoryBudget({1, 0, dir.File("spill")});
  Status status = FitInBatches(&spilled);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(spilled.dictionary_sizes(), (std::vector<int64_t>{37, 39}));
  EXPECT_EQ(spilled.dictionary_sizes(), in_memory.dictionary_sizes());
  RecordBatchPtr batch = ManyValues(0, 2000);
  auto expected = in_memory.Transform(batch);
  auto got = spilled.Transform(batch);
  ASSERT_TRUE(expected.ok() && got.ok());
  for (int c = 0; c < 2; ++c) EXPECT_EQ(Values<int32_t>((*got)->column(c)), Values<int32_t>((*expected)->column(c)));
  // Seen 54 times in value order: v0=1, v1=2, v10=3, v13=4, v16=5, v17=6, then v2=7.
  EXPECT_EQ(Values<int32_t>((*got)->column(0))[0], 1);
  EXPECT_EQ(Values<int32_t>((*got)->column(0))[2], 7);
  EXPECT_EQ(Values<int32_t>((*got)->column(0))[10], 3);
  EXPECT_EQ(Values<int32_t>((*got)->column(0))[99], 0);
}

TEST(CategorifyBudgetTest, SpilledCountsSerializeWithTheirRuns) {
  kiln::testing::TempDir dir;
  Categorify op(Options({"s"}));
  op.SetMemoryBudget({1, 0, dir.File("spill")});
  ASSERT_TRUE(op.Bind(ManyValues(0, 0)->schema()).ok());
  auto spilled = op.NewAccumulator();
  ASSERT_TRUE(spilled->Update(*ManyValues(0, 1000)).ok());
  ASSERT_TRUE(spilled->Update(*ManyValues(1000, 1000)).ok());
  std::string bytes;
  spilled->Serialize(&bytes);
  Categorify plain(Options({"s"}));
  ASSERT_TRUE(plain.Bind(ManyValues(0, 0)->schema()).ok());
  auto received = plain.NewAccumulator();
  ASSERT_TRUE(received->MergeSerialized(bytes).ok());
  ASSERT_TRUE(plain.Fit(*received).ok());
  EXPECT_EQ(plain.dictionary_sizes(), (std::vector<int64_t>{37}));
  EXPECT_EQ(Values<int32_t>((*plain.Transform(ManyValues(0, 3)))->column(0)), (std::vector<int32_t>{1, 2, 7}));
}

TEST(CategorifyBudgetTest, DictionariesLargerThanTheStateBudgetFail) {
  Categorify op(Options({"s"}));
  op.SetMemoryBudget({0, 100, ""});
  Status status = FitInBatches(&op);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kNotSupported);
  EXPECT_NE(status.message().find("more than the memory limit leaves them"), std::string::npos) << status.ToString();
}

TEST(CategorifyYamlTest, SeparatorAndJointInAWholeRunAndApply) {
  kiln::testing::TempDir dir;
  kiln::testing::WriteFile(dir.File("in.tsv"), "user\tfriend\ttags\nu1\tu2\ta|b\nu2\tu3\tb\nu3\tu2\t\n");
  std::string yaml = "input: {path: " + dir.File("in.tsv") + ", format: tsv}\n" +
                     "output: {path: " + dir.File("out") + ", format: parquet}\n" +
                     "steps:\n"
                     "  - {op: categorify, columns: [user, friend], joint: true}\n"
                     "  - {op: categorify, columns: [tags], separator: '|', null_id: 1, oov_id: 1}\n";
  auto job = ParsePrepYaml(yaml, "test.yaml");
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  auto summary = RunPrepJob(&*job);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  auto table = parquet::ReadParquet(dir.File("out/part-00000.parquet"));
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  RecordBatchPtr batch = table->Combine();
  // u2 3, u3 2, u1 1: u2=1, u3=2, u1=3. Tags: b 2, a 1: b=2, a=3 (ids from 2).
  EXPECT_EQ(Values<int32_t>(batch->column(0)), (std::vector<int32_t>{3, 1, 2}));
  EXPECT_EQ(Values<int32_t>(batch->column(1)), (std::vector<int32_t>{1, 2, 1}));
  EXPECT_EQ(ListValues(batch->column(2)), (Lists{{3, 2}, {2}, {}}));

  kiln::testing::WriteFile(dir.File("new.tsv"), "user\tfriend\ttags\nu9\tu1\tb|z|a\n");
  auto applied = ApplyPrepState(dir.File("out/_state"), dir.File("new.tsv"), dir.File("applied"), false);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  table = parquet::ReadParquet(dir.File("applied/part-00000.parquet"));
  ASSERT_TRUE(table.ok());
  batch = table->Combine();
  EXPECT_EQ(Values<int32_t>(batch->column(0)), (std::vector<int32_t>{0}));
  EXPECT_EQ(Values<int32_t>(batch->column(1)), (std::vector<int32_t>{3}));
  EXPECT_EQ(ListValues(batch->column(2)), (Lists{{2, 1, 3}}));

  auto bad = ParsePrepYaml("steps:\n  - {op: categorify, joint: maybe}\n", "p.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("p.yaml:2:"), std::string::npos) << bad.status().ToString();
  EXPECT_NE(bad.status().message().find("'joint': bad value"), std::string::npos) << bad.status().ToString();
}

}  // namespace
}  // namespace kiln::prep
