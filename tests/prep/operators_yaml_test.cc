// The operators of this file as users write them: a YAML pipeline run with
// RunPrepJob over a small CSV file, then `apply` with the saved state.
#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "kiln/core/hash.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/prep/input_source.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/prep_job.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using kiln::testing::TempDir;
using kiln::testing::WriteFile;

class OperatorsYamlTest : public ::testing::Test {
 protected:
  // Runs `steps` over `csv` (with `schema`) into out/, as Parquet; returns the rows.
  RecordBatchPtr Run(const std::string& csv, const std::string& schema, const std::string& steps) {
    WriteFile(dir_.File("in.csv"), csv);
    std::string yaml = "input: {path: " + dir_.File("in.csv") + ", schema: '" + schema + "'}\n" +
                       "output: {path: " + dir_.File("out") + ", rows_per_part: 2}\n" + "steps:\n" + steps;
    auto job = ParsePrepYaml(yaml, "test.yaml");
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    if (!job.ok()) return nullptr;
    auto summary = RunPrepJob(&*job);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? Read(dir_.File("out")) : nullptr;
  }
  // Applies the saved state to `csv`; returns the rows.
  RecordBatchPtr Apply(const std::string& csv) {
    WriteFile(dir_.File("new.csv"), csv);
    std::filesystem::remove_all(dir_.File("applied"));
    auto summary = ApplyPrepState(dir_.File("out/_state"), dir_.File("new.csv"), dir_.File("applied"), false);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return summary.ok() ? Read(dir_.File("applied")) : nullptr;
  }
  static RecordBatchPtr Read(const std::string& directory) {
    auto files = InputFiles(directory);
    EXPECT_TRUE(files.ok());
    std::unique_ptr<Table> all;
    for (const std::string& file : *files) {
      auto table = parquet::ReadParquet(file);
      EXPECT_TRUE(table.ok()) << table.status().ToString();
      if (!all) all = std::make_unique<Table>(table->schema());
      for (const auto& batch : table->batches()) all->AddBatch(batch);
    }
    return all ? all->Combine() : nullptr;
  }
  template <typename T>
  static std::vector<T> Column(const RecordBatchPtr& batch, const std::string& name, T null = T{}) {
    std::vector<T> values;
    int index = batch->schema()->IndexOf(name);
    EXPECT_GE(index, 0) << name;
    if (index < 0) return values;
    const kiln::Column& column = batch->column(index);
    for (int64_t row = 0; row < column.length(); ++row) {
      if constexpr (std::is_same_v<T, std::string>) {
        values.push_back(column.IsValid(row) ? std::string(column.GetString(row)) : null);
      } else {
        values.push_back(column.IsValid(row) ? column.Value<T>(row) : null);
      }
    }
    return values;
  }
  TempDir dir_;
};

TEST_F(OperatorsYamlTest, Bucketize) {
  auto out = Run("p,q\n1,5\n2,\n3,7\n4,8\n", "p:int64, q:float64",
                 "  - {op: bucketize, columns: [p], quantiles: 2}\n"
                 "  - {op: bucketize, columns: [q], boundaries: [6], null_id: 9}\n");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(Column<int32_t>(out, "p"), (std::vector<int32_t>{0, 0, 1, 1}));  // Cut at the median, 3.
  EXPECT_EQ(Column<int32_t>(out, "q"), (std::vector<int32_t>{0, 9, 1, 1}));
  auto applied = Apply("p,q\n10,1\n2,6\n");
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(Column<int32_t>(applied, "p"), (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(Column<int32_t>(applied, "q"), (std::vector<int32_t>{0, 1}));
}

TEST_F(OperatorsYamlTest, HashBucketAndHashedCross) {
  auto out = Run("s,n\na,7\nb,\n", "s:string, n:int32",
                 "  - {op: hashed_cross, columns: [s, n], num_buckets: 100, output: sn, null_id: 0}\n"
                 "  - {op: hash_bucket, columns: [s, n], num_buckets: 1000}\n");
  ASSERT_NE(out, nullptr);
  uint64_t a = Mix64(Fnv1a64("a")), b = Mix64(Fnv1a64("b"));
  EXPECT_EQ(Column<int32_t>(out, "s"), (std::vector<int32_t>{static_cast<int32_t>(a % 1000), static_cast<int32_t>(b % 1000)}));
  EXPECT_EQ(Column<int32_t>(out, "n", -1), (std::vector<int32_t>{static_cast<int32_t>(Mix64(7) % 1000), -1}));
  EXPECT_EQ(Column<int32_t>(out, "sn"),
            (std::vector<int32_t>{static_cast<int32_t>(HashCombine(HashCombine(0, a), Mix64(7)) % 100), 0}));
  auto applied = Apply("s,n\nb,7\n");  // Stateless: serving gets the same buckets.
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(Column<int32_t>(applied, "s"), (std::vector<int32_t>{static_cast<int32_t>(b % 1000)}));
}

TEST_F(OperatorsYamlTest, Filter) {
  auto out = Run("label,price,country,user\n1,0.9,DE,10\n1,0.9,US,11\n0,0.9,FR,12\n1,0.6,FR,\n1,0.7,FR,14\n",
                 "label:int32, price:float64, country:string, user:int64",
                 "  - {op: filter, expression: \"label == 1 and price > 0.5 and country in ('DE','FR') and not "
                 "is_null(user)\"}\n");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(Column<int64_t>(out, "user"), (std::vector<int64_t>{10, 14}));
  auto bad = ParsePrepYaml("steps:\n  - {op: filter, expresion: 'a > 1'}\n", "p.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown key 'expresion'"), std::string::npos);
}

TEST_F(OperatorsYamlTest, CountAndFrequencyEncode) {
  auto out = Run("c,d\nx,1\ny,1\nx,1\n,1\n", "c:string, d:int32",
                 "  - {op: count_encode, columns: [c]}\n"
                 "  - {op: frequency_encode, columns: [c]}\n");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(Column<int64_t>(out, "c_count"), (std::vector<int64_t>{2, 1, 2, 0}));
  EXPECT_EQ(Column<double>(out, "c_freq"), (std::vector<double>{0.5, 0.25, 0.5, 0}));
  auto applied = Apply("c,d\ny,1\nnew,1\n");
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(Column<int64_t>(applied, "c_count"), (std::vector<int64_t>{1, 0}));
}

TEST_F(OperatorsYamlTest, TargetEncodeOutOfFoldInTheRunFullStatisticsInApply) {
  std::string csv = "k,y\n";
  for (int i = 0; i < 40; ++i) csv += std::string(i % 2 ? "a" : "b") + "," + std::to_string(i % 3 == 0) + "\n";
  auto out = Run(csv, "k:string, y:int32",
                 "  - {op: target_encode, columns: [k], target: y, folds: 4, smoothing: 2, seed: 9}\n");
  ASSERT_NE(out, nullptr);
  // Full statistics: 14 of 40 positive; a (odd i): i % 3 == 0 for 7 of 20; b: 7 of 20.
  double prior = 14.0 / 40, full = (7 + 2 * prior) / (20 + 2);
  std::vector<double> encoded = Column<double>(out, "k_y_te");
  ASSERT_EQ(encoded.size(), 40u);
  int differs = 0;
  for (double value : encoded) differs += std::abs(value - full) > 1e-12;
  EXPECT_GT(differs, 30);  // Out of fold: each row's own fold is left out.
  auto applied = Apply("k,y\na,0\nb,1\nc,1\n");
  ASSERT_NE(applied, nullptr);
  std::vector<double> served = Column<double>(applied, "k_y_te");
  ASSERT_EQ(served.size(), 3u);
  EXPECT_DOUBLE_EQ(served[0], full);
  EXPECT_DOUBLE_EQ(served[1], full);
  EXPECT_DOUBLE_EQ(served[2], prior);
}

TEST_F(OperatorsYamlTest, JoinGroupby) {
  auto out = Run("u,v\n1,2\n1,4\n2,\n1,6\n", "u:int64, v:float64",
                 "  - {op: join_groupby, keys: [u], columns: [v], stats: [count, mean, max]}\n");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(Column<int64_t>(out, "u_count"), (std::vector<int64_t>{3, 3, 1, 3}));
  EXPECT_EQ(Column<double>(out, "u_v_mean", -1), (std::vector<double>{4, 4, -1, 4}));
  EXPECT_EQ(Column<double>(out, "u_v_max", -1), (std::vector<double>{6, 6, -1, 6}));
  auto applied = Apply("u,v\n1,0\n3,0\n");
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(Column<int64_t>(applied, "u_count"), (std::vector<int64_t>{3, 0}));
  auto bad = ParsePrepYaml("steps:\n  - {op: join_groupby, keys: [u], stats: [median]}\n", "p.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown stat 'median'"), std::string::npos);
}

TEST_F(OperatorsYamlTest, JoinUsesTheSavedTableInApply) {
  WriteFile(dir_.File("items.csv"), "item,name\n1,apple\n2,pear\n");
  auto out = Run("item,qty\n2,5\n3,1\n1,2\n", "item:int32, qty:int32",
                 "  - {op: join, table: " + dir_.File("items.csv") + ", on: item, how: inner}\n");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(Column<std::string>(out, "name"), (std::vector<std::string>{"pear", "apple"}));
  std::filesystem::remove(dir_.File("items.csv"));
  auto applied = Apply("item,qty\n1,9\n");
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(Column<std::string>(applied, "name"), (std::vector<std::string>{"apple"}));
}

TEST_F(OperatorsYamlTest, NegativeSampleIsReproducedByApply) {
  std::string csv = "user,item,label\n";
  for (int i = 0; i < 12; ++i) csv += std::to_string(i % 4) + "," + std::to_string(100 + i % 5) + "," + std::to_string(i % 2) + "\n";
  auto out = Run(csv, "user:int64, item:int64, label:int32",
                 "  - {op: negative_sample, item: item, negatives: 3, sampling: popularity, seed: 4}\n");
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(out->num_rows(), 12 + 6 * 3);
  std::vector<int32_t> labels = Column<int32_t>(out, "label");
  EXPECT_EQ(std::count(labels.begin(), labels.end(), 1), 6);
  auto applied = Apply(csv);
  ASSERT_NE(applied, nullptr);
  EXPECT_EQ(Column<int64_t>(applied, "item"), Column<int64_t>(out, "item"));
}

}  // namespace
}  // namespace kiln::prep
