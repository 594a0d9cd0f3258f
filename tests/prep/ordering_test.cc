// Ordering and splitting steps as users write them: Sort, Shuffle,
// DifferenceLag, CollapseByHist and Split through YAML and RunPrepJob, the
// external sorter on its own, and Parquet datasets as prep input.
#include <algorithm>
#include <filesystem>
#include <numeric>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "kiln/prep/external_sorter.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/prep_job.h"
#include "kiln/prep/sort.h"
#include "prep/table_builder.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using kiln::testing::ReadFile;
using kiln::testing::TempDir;
using kiln::testing::WriteFile;
using testing::MakeBatch;
using testing::MakeColumn;

// The data rows (no headers) of every CSV part in `directory`, in name order.
std::vector<std::string> DatasetRows(const std::string& directory) {
  std::vector<std::string> parts;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".csv") parts.push_back(entry.path().string());
  }
  std::sort(parts.begin(), parts.end());
  std::vector<std::string> rows;
  for (const std::string& part : parts) {
    std::istringstream text(ReadFile(part));
    std::string line;
    std::getline(text, line);  // Header.
    while (std::getline(text, line)) rows.push_back(line);
  }
  return rows;
}

class OrderingRunTest : public ::testing::Test {
 protected:
  // Runs `steps` over in.csv with `schema`, writing CSV parts of 4 rows to out/.
  Result<PrepSummary> Run(const std::string& schema, const std::string& steps, int64_t batch_rows = 65536,
                          const std::string& out = "out") {
    auto job = ParsePrepYaml("input: {path: " + dir_.File("in.csv") + ", schema: '" + schema + "'}\n" +
                                 "output: {path: " + dir_.File(out) + ", format: csv, rows_per_part: 4}\n" +
                                 "steps:\n" + steps,
                             "test.yaml");
    if (!job.ok()) return job.status();
    job->input.read.csv.batch_rows = batch_rows;
    return RunPrepJob(&*job);
  }
  TempDir dir_;
};

TEST_F(OrderingRunTest, SortIsStableWithNullsLastInBothDirections) {
  WriteFile(dir_.File("in.csv"), "k,v\n2,a\n,b\n1,c\n2,d\n1,e\n,f\n3,g\n");
  auto up = Run("k:int64, v:string", "  - {op: sort, columns: [k]}\n", 2);
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_EQ(up->rows_out, 7);
  EXPECT_EQ(DatasetRows(dir_.File("out")),
            (std::vector<std::string>{"1,c", "1,e", "2,a", "2,d", "3,g", ",b", ",f"}));
  auto runs = Run("k:int64, v:string", "  - {op: sort, columns: [k], memory_limit: 1}\n", 2, "runs");
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("runs")), DatasetRows(dir_.File("out")));
  auto down = Run("k:int64, v:string", "  - {op: sort, columns: [k], descending: [k]}\n", 3, "down");
  ASSERT_TRUE(down.ok()) << down.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("down")),
            (std::vector<std::string>{"3,g", "2,a", "2,d", "1,c", "1,e", ",b", ",f"}));
}

TEST_F(OrderingRunTest, SortByTwoKeysWithStringsNegativesAndFloats) {
  WriteFile(dir_.File("in.csv"), "s,x\nb,-1.5\na,2\nb,0\nab,-3\na,-0.5\n,1\nb,\n");
  auto sorted = Run("s:string, x:float64", "  - {op: sort, columns: [s, x], descending: [x]}\n");
  ASSERT_TRUE(sorted.ok()) << sorted.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("out")),
            (std::vector<std::string>{"a,2", "a,-0.5", "ab,-3", "b,0", "b,-1.5", "b,", ",1"}));
}

TEST_F(OrderingRunTest, EmptyInputSortsToAnEmptyDataset) {
  WriteFile(dir_.File("in.csv"), "k,v\n");
  auto sorted = Run("k:int64, v:string", "  - {op: shuffle, seed: 3}\n  - {op: sort, columns: [k]}\n");
  ASSERT_TRUE(sorted.ok()) << sorted.status().ToString();
  EXPECT_EQ(sorted->rows_out, 0);
  EXPECT_EQ(ReadFile(dir_.File("out/part-00000.csv")), "k,v\n");
}

TEST_F(OrderingRunTest, StepsAfterASortSeeTheNewOrderAndFitOnIt) {
  // Categorify by frequency after the sort; ids are the same, row order is the sort's.
  WriteFile(dir_.File("in.csv"), "k,s\n3,x\n1,y\n2,x\n");
  auto run = Run("k:int64, s:string",
                 "  - {op: sort, columns: [k]}\n  - {op: categorify, columns: [s]}\n  - {op: normalize, columns: [k], "
                 "method: minmax, type: float64}\n");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->passes, 3);  // Stage 1 transform; stage 2 fit and transform.
  EXPECT_EQ(DatasetRows(dir_.File("out")), (std::vector<std::string>{"0,2", "0.5,1", "1,1"}));
}

std::vector<int64_t> Column0(const std::vector<std::string>& rows) {
  std::vector<int64_t> values;
  for (const std::string& row : rows) values.push_back(std::stoll(row.substr(0, row.find(','))));
  return values;
}

TEST_F(OrderingRunTest, ShuffleIsASeededPermutationIndependentOfBatching) {
  std::string text = "id\n";
  for (int i = 0; i < 500; ++i) text += std::to_string(i) + "\n";
  WriteFile(dir_.File("in.csv"), text);
  ASSERT_TRUE(Run("id:int64", "  - {op: shuffle, seed: 7}\n", 64, "a").ok());
  ASSERT_TRUE(Run("id:int64", "  - {op: shuffle, seed: 7}\n", 1000, "b").ok());
  ASSERT_TRUE(Run("id:int64", "  - {op: shuffle, seed: 8}\n", 64, "c").ok());
  // A budget of one byte: every batch of 64 rows is a spilled run, merged.
  ASSERT_TRUE(Run("id:int64", "  - {op: shuffle, seed: 7, memory_limit: 1}\n", 64, "runs").ok());
  EXPECT_EQ(DatasetRows(dir_.File("runs")), DatasetRows(dir_.File("a")));
  std::vector<int64_t> a = Column0(DatasetRows(dir_.File("a")));
  std::vector<int64_t> b = Column0(DatasetRows(dir_.File("b")));
  std::vector<int64_t> c = Column0(DatasetRows(dir_.File("c")));
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::vector<int64_t> identity(500);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_NE(a, identity);
  std::sort(a.begin(), a.end());
  std::sort(c.begin(), c.end());
  EXPECT_EQ(a, identity);
  EXPECT_EQ(c, identity);
}

TEST(ExternalSorterTest, ManyRunsUnderATinyBudgetMergeInOrder) {
  TempDir dir;
  SortOptions options;
  options.keys = {SortKey{"k", false}};
  options.memory_limit = 1;  // Every batch becomes a run: 300 runs, merged in two levels.
  Sort sort(options);
  auto schema = std::make_shared<Schema>(std::vector<Field>{{"k", DataType::Int64()}, {"id", DataType::Int64()}});
  ASSERT_TRUE(sort.Bind(schema).ok());
  ExternalSorter sorter(&sort, schema, dir.File("sort"));
  int64_t id = 0;
  for (int b = 0; b < 300; ++b) {
    std::vector<std::optional<int64_t>> keys, ids;
    for (int r = 0; r < 7; ++r, ++id) {
      keys.push_back((id * 7919) % 101);  // Many ties.
      ids.push_back(id);
    }
    auto batch = MakeBatch(schema->fields(), {MakeColumn<int64_t>(DataType::Int64(), keys),
                                              MakeColumn<int64_t>(DataType::Int64(), ids)});
    ASSERT_TRUE(sorter.Add(batch).ok());
  }
  ASSERT_TRUE(sorter.Finish(ReadReport()).ok());
  EXPECT_EQ(sorter.runs_spilled(), 300);
  for (int pass = 0; pass < 2; ++pass) {  // The sorted stream can be read again.
    auto reader = sorter.OpenSorted();
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<std::pair<int64_t, int64_t>> rows;
    for (;;) {
      RecordBatchPtr batch;
      ASSERT_TRUE((*reader)->Next(&batch).ok());
      if (batch == nullptr) break;
      ASSERT_EQ(batch->num_columns(), 2);
      for (int64_t r = 0; r < batch->num_rows(); ++r) {
        rows.emplace_back(batch->column(0).Value<int64_t>(r), batch->column(1).Value<int64_t>(r));
      }
    }
    ASSERT_EQ(rows.size(), 2100u);
    // Sorted by key, ties by input order (id): the pairs themselves are sorted.
    EXPECT_TRUE(std::is_sorted(rows.begin(), rows.end()));
    std::set<int64_t> ids;
    for (const auto& row : rows) ids.insert(row.second);
    EXPECT_EQ(ids.size(), 2100u);
  }
}

// Events of three users, not in time order. Columns: user, ts, price, item.
constexpr char kEvents[] =
    "user,ts,price,item\n"
    "u1,30,5,c\n"
    "u2,10,100,x\n"
    "u1,10,2,a\n"
    "u3,5,,p\n"
    "u1,20,,b\n"
    "u2,40,90,y\n"
    "u1,40,4,d\n";
constexpr char kEventsSchema[] = "user:string, ts:int64, price:float64, item:string";

TEST_F(OrderingRunTest, DifferenceLagPerUserInTimeOrderSortsFirstWhenNeeded) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto run = Run(kEventsSchema,
                 "  - {op: difference_lag, columns: [price], partition: [user], time: ts, time_gap: true}\n"
                 "  - {op: drop, columns: [item]}\n", 2);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // Sorted by ts (stable): u3@5, u2@10, u1@10, u1@20, u1@30, u2@40, u1@40.
  EXPECT_EQ(DatasetRows(dir_.File("out")),
            (std::vector<std::string>{"u3,5,,,",        "u2,10,100,,",   "u1,10,2,,",    "u1,20,,,10",
                                      "u1,30,5,,10",    "u2,40,90,-10,30", "u1,40,4,-1,10"}));
  // Already sorted input through an explicit sort by (user, ts): the same values per row.
  auto sorted = Run(kEventsSchema,
                    "  - {op: sort, columns: [user, ts]}\n"
                    "  - {op: difference_lag, columns: [price], partition: [user], time: ts, time_gap: true, fill: 0}\n"
                    "  - {op: drop, columns: [item]}\n", 3, "sorted");
  ASSERT_TRUE(sorted.ok()) << sorted.status().ToString();
  EXPECT_EQ(sorted->passes, 2);  // No sort inserted: the explicit one serves.
  EXPECT_EQ(DatasetRows(dir_.File("sorted")),
            (std::vector<std::string>{"u1,10,2,0,0", "u1,20,,0,10", "u1,30,5,0,10", "u1,40,4,-1,10",
                                      "u2,10,100,0,0", "u2,40,90,-10,30", "u3,5,,0,0"}));
}

TEST_F(OrderingRunTest, CollapseByHistKeepsEarlierValuesUpToMaxLength) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto run = Run(kEventsSchema,
                 "  - {op: collapse_by_hist, columns: [item], partition: [user], time: ts, max_length: 2}\n"
                 "  - {op: select, columns: [user, ts, hist_item]}\n", 2);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  std::vector<std::string> rows = DatasetRows(dir_.File("out"));
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], "u3,5,[]");
  EXPECT_EQ(rows[2], "u1,10,[]");
  EXPECT_EQ(rows[3], "u1,20,[a]");
  EXPECT_EQ(rows[4], "u1,30,\"[a, b]\"");
  EXPECT_EQ(rows[6], "u1,40,\"[b, c]\"");  // At most 2: the latest.
  EXPECT_EQ(rows[5], "u2,40,[x]");
}

TEST_F(OrderingRunTest, HistoriesCanBeSortedAfterwards) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto run = Run(kEventsSchema,
                 "  - {op: collapse_by_hist, columns: [item], partition: [user], time: ts, max_length: 2}\n"
                 "  - {op: sort, columns: [user, ts], descending: [ts]}\n"
                 "  - {op: select, columns: [user, ts, hist_item]}\n", 2);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("out")),
            (std::vector<std::string>{"u1,40,\"[b, c]\"", "u1,30,\"[a, b]\"", "u1,20,[a]", "u1,10,[]", "u2,40,[x]",
                                      "u2,10,[]", "u3,5,[]"}));
}

TEST_F(OrderingRunTest, SequentialStepsGiveTheSameRowsOnSortedAndUnsortedInput) {
  std::string unsorted = "user,ts,price,item\n", sorted = unsorted;
  std::vector<std::string> lines;
  for (int i = 0; i < 300; ++i) {
    int ts = (i * 37) % 300;  // A permutation of 0..299.
    lines.push_back("u" + std::to_string(ts % 7) + "," + std::to_string(ts) + "," + std::to_string(ts * ts % 23) +
                    ",i" + std::to_string(ts % 11) + "\n");
  }
  for (const std::string& line : lines) unsorted += line;
  std::vector<std::string> by_time(300);
  for (int i = 0; i < 300; ++i) by_time[(i * 37) % 300] = lines[i];
  for (const std::string& line : by_time) sorted += line;
  std::string steps =
      "  - {op: collapse_by_hist, columns: [item, price], partition: [user], time: ts, max_length: 3}\n"
      "  - {op: difference_lag, columns: [price], partition: [user], time: ts, time_gap: true}\n";
  WriteFile(dir_.File("in.csv"), unsorted);
  ASSERT_TRUE(Run(kEventsSchema, steps, 16, "a").ok());
  WriteFile(dir_.File("in.csv"), sorted);
  ASSERT_TRUE(Run(kEventsSchema, steps, 100, "b").ok());
  std::vector<std::string> a = DatasetRows(dir_.File("a"));
  EXPECT_EQ(a.size(), 300u);
  EXPECT_EQ(a, DatasetRows(dir_.File("b")));
}

TEST_F(OrderingRunTest, RandomSplitPartitionsTheRowsByFractions) {
  std::string text = "id\n";
  for (int i = 0; i < 2000; ++i) text += std::to_string(i) + "\n";
  WriteFile(dir_.File("in.csv"), text);
  auto run = Run("id:int64", "  - {op: split, fractions: [0.7, 0.2, 0.1], seed: 5}\n", 300);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->rows_out, 2000);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("out/_state/pipeline.yaml")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/part-00000.csv")));
  std::vector<int64_t> all;
  std::vector<size_t> sizes;
  for (const char* name : {"train", "valid", "test"}) {
    std::vector<int64_t> ids = Column0(DatasetRows(dir_.File(std::string("out/") + name)));
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end())) << name;  // Input order within a split.
    sizes.push_back(ids.size());
    all.insert(all.end(), ids.begin(), ids.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int64_t> identity(2000);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(all, identity);  // Every row in exactly one split.
  EXPECT_NEAR(sizes[0], 1400, 90);
  EXPECT_NEAR(sizes[1], 400, 70);
  EXPECT_NEAR(sizes[2], 200, 50);
  // The same seed on other batching: the same splits.
  ASSERT_TRUE(Run("id:int64", "  - {op: split, fractions: [0.7, 0.2, 0.1], seed: 5}\n", 7, "again").ok());
  EXPECT_EQ(DatasetRows(dir_.File("again/valid")), DatasetRows(dir_.File("out/valid")));
}

TEST_F(OrderingRunTest, TimeSplitByCutoffsAndByFittedFractions) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto cut = Run(kEventsSchema, "  - {op: split, method: time, time: ts, cutoffs: [20, 40], names: [a, b, c]}\n");
  ASSERT_TRUE(cut.ok()) << cut.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("out/a")), (std::vector<std::string>{"u2,10,100,x", "u1,10,2,a", "u3,5,,p"}));
  EXPECT_EQ(DatasetRows(dir_.File("out/b")), (std::vector<std::string>{"u1,30,5,c", "u1,20,,b"}));
  EXPECT_EQ(DatasetRows(dir_.File("out/c")), (std::vector<std::string>{"u2,40,90,y", "u1,40,4,d"}));
  // Times 5,10,10,20,30,40,40: 4/7 of the rows before the cutoff -> 30.
  auto fitted = Run(kEventsSchema, "  - {op: split, method: time, time: ts, fractions: [0.57, 0.43]}\n", 3, "fit");
  ASSERT_TRUE(fitted.ok()) << fitted.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("fit/train")).size(), 4u);
  EXPECT_EQ(DatasetRows(dir_.File("fit/test")), (std::vector<std::string>{"u1,30,5,c", "u2,40,90,y", "u1,40,4,d"}));
  // Apply uses the fitted cutoff.
  WriteFile(dir_.File("new.csv"), "user,ts,price,item\nu9,29,1,q\nu9,31,1,r\n");
  auto applied = ApplyPrepState(dir_.File("fit/_state"), dir_.File("new.csv"), dir_.File("applied"), false);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("applied/train")), (std::vector<std::string>{"u9,29,1,q"}));
  EXPECT_EQ(DatasetRows(dir_.File("applied/test")), (std::vector<std::string>{"u9,31,1,r"}));
}

TEST_F(OrderingRunTest, LastKPerUserGoesToTheLaterSplits) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto run = Run(kEventsSchema, "  - {op: split, method: last_k, user: user, time: ts, names: [train, valid, test]}\n",
                 2);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(DatasetRows(dir_.File("out/test")),
            (std::vector<std::string>{"u3,5,,p", "u2,40,90,y", "u1,40,4,d"}));
  EXPECT_EQ(DatasetRows(dir_.File("out/valid")), (std::vector<std::string>{"u1,30,5,c", "u2,10,100,x"}));
  EXPECT_EQ(DatasetRows(dir_.File("out/train")), (std::vector<std::string>{"u1,10,2,a", "u1,20,,b"}));
}

TEST_F(OrderingRunTest, ApplyRunsTheStagesOnNewDataWithFreshHistories) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto run = Run(kEventsSchema,
                 "  - {op: categorify, columns: [item]}\n"
                 "  - {op: difference_lag, columns: [price], partition: [user], time: ts}\n"
                 "  - {op: sort, columns: [user, ts]}\n");
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  // Items a, b, c, d, p, x, y are seen once each: ids by value 1..7; q is new (0).
  WriteFile(dir_.File("new.csv"), "user,ts,price,item\nu1,50,7,q\nu1,45,3,a\nu0,1,1,y\n");
  auto applied = ApplyPrepState(dir_.File("out/_state"), dir_.File("new.csv"), dir_.File("applied"), false);
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->rows_out, 3);
  EXPECT_EQ(DatasetRows(dir_.File("applied")),
            (std::vector<std::string>{"u0,1,1,7,", "u1,45,3,1,", "u1,50,7,0,4"}));
}

TEST_F(OrderingRunTest, PlanningErrorsNameTheStep) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto not_last = Run(kEventsSchema, "  - {op: split, fractions: [0.5, 0.5]}\n  - {op: drop, columns: [item]}\n");
  ASSERT_FALSE(not_last.ok());
  EXPECT_NE(not_last.status().message().find("step 1 (split): split must be the last step"), std::string::npos)
      << not_last.status().ToString();
  auto bad_key = Run(kEventsSchema, "  - {op: fill_na, columns: [price]}\n  - {op: sort, columns: [nope]}\n");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("step 2 (sort)"), std::string::npos) << bad_key.status().ToString();
  auto bad_fractions = Run(kEventsSchema, "  - {op: split, fractions: [0.5, 0.6]}\n");
  ASSERT_FALSE(bad_fractions.ok());
  EXPECT_NE(bad_fractions.status().message().find("sum to 1"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out")));
}

TEST_F(OrderingRunTest, ParquetFileAndDatasetDirectoryAsInput) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto job = ParsePrepYaml("input: {path: " + dir_.File("in.csv") + ", schema: '" + kEventsSchema + "'}\n" +
                               "output: {path: " + dir_.File("pq") + ", format: parquet, rows_per_part: 3}\n",
                           "test.yaml");
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE(RunPrepJob(&*job).ok());
  ASSERT_TRUE(std::filesystem::exists(dir_.File("pq/part-00002.parquet")));
  for (const std::string& input : {dir_.File("pq"), dir_.File("pq/part-00000.parquet")}) {
    auto sorted = ParsePrepYaml("input: {path: " + input + "}\n" + "output: {path: " + dir_.File("sorted") +
                                    ", format: csv, overwrite: true}\n" +
                                    "steps:\n  - {op: sort, columns: [ts, user]}\n",
                                "test.yaml");
    ASSERT_TRUE(sorted.ok());
    auto run = RunPrepJob(&*sorted);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    if (input == dir_.File("pq")) {
      EXPECT_EQ(run->rows_in, 7);
      EXPECT_EQ(DatasetRows(dir_.File("sorted")),
                (std::vector<std::string>{"u3,5,,p", "u1,10,2,a", "u2,10,100,x", "u1,20,,b", "u1,30,5,c",
                                          "u1,40,4,d", "u2,40,90,y"}));
    } else {
      EXPECT_EQ(DatasetRows(dir_.File("sorted")),
                (std::vector<std::string>{"u1,10,2,a", "u2,10,100,x", "u1,30,5,c"}));
    }
  }
}

TEST_F(OrderingRunTest, HivePartitionedParquetDirectoryAsInput) {
  WriteFile(dir_.File("in.csv"), kEvents);
  auto job = ParsePrepYaml("input: {path: " + dir_.File("in.csv") + ", schema: '" + kEventsSchema + "'}\n" +
                               "output: {path: " + dir_.File("pq") + ", format: parquet, rows_per_part: 4}\n",
                           "test.yaml");
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE(RunPrepJob(&*job).ok());
  std::filesystem::create_directories(dir_.File("hive/day=1"));
  std::filesystem::create_directories(dir_.File("hive/day=2"));
  std::filesystem::copy_file(dir_.File("pq/part-00000.parquet"), dir_.File("hive/day=1/a.parquet"));
  std::filesystem::copy_file(dir_.File("pq/part-00001.parquet"), dir_.File("hive/day=2/a.parquet"));
  auto sorted = ParsePrepYaml("input: {path: " + dir_.File("hive") + "}\n" + "output: {path: " + dir_.File("sorted") +
                                  ", format: csv}\n" +
                                  "steps:\n  - {op: sort, columns: [ts, user]}\n"
                                  "  - {op: select, columns: [user, ts]}\n",
                              "test.yaml");
  ASSERT_TRUE(sorted.ok());
  auto run = RunPrepJob(&*sorted);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->rows_in, 7);
  EXPECT_EQ(DatasetRows(dir_.File("sorted")),
            (std::vector<std::string>{"u3,5", "u1,10", "u2,10", "u1,20", "u1,30", "u1,40", "u2,40"}));
}

}  // namespace
}  // namespace kiln::prep
