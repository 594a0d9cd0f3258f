// `mpirun -np 2 kiln prep ...` against `kiln prep ...` on the same input:
// the rows, read back in part-name order, and the saved state must be the
// same; a bad row in one rank's share must fail every rank with its
// file:line, leave no output and not hang.
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "kiln/io/json_format.h"
#include "kiln/parquet/file_reader.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

namespace fs = std::filesystem;
using kiln::testing::ReadFile;
using kiln::testing::RunCommand;
using kiln::testing::TempDir;
using kiln::testing::WriteFile;

std::string Kiln() { return std::string(KILN_BINARY_DIR) + "/kiln"; }
// `timeout` turns a hang into a failure instead of a stuck test. In
// sanitizer builds OpenMPI's own allocations that live until exit are
// suppressed (see tests/dist/mpi_leaks.supp); the variables do nothing otherwise.
std::string Mpirun() {
  return std::string("OMPI_MCA_mca_base_component_disable_dlclose=1 ASAN_OPTIONS=fast_unwind_on_malloc=0 ") +
         "LSAN_OPTIONS=suppressions=" + KILN_SOURCE_DIR + "/tests/dist/mpi_leaks.supp " +
         "timeout 300 mpirun -np 2 --oversubscribe --allow-run-as-root ";
}

// Runs `command`; returns its exit code, stdout and stderr in *output.
int Shell(const std::string& command, std::string* output = nullptr) {
  int exit_code = -1;
  std::string text = RunCommand(command + " 2>&1", &exit_code);
  if (output) *output = text;
  return exit_code;
}

// The rows of a dataset: one vector of canonical JSON values per row, parts in name order.
std::vector<std::vector<std::string>> ReadRows(const std::string& directory, int* parts) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().extension() == ".parquet") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  *parts = static_cast<int>(files.size());
  std::vector<std::vector<std::string>> rows;
  for (const std::string& file : files) {
    auto table = parquet::ReadParquet(file);
    EXPECT_TRUE(table.ok()) << file << ": " << table.status().ToString();
    if (!table.ok()) continue;
    for (const RecordBatchPtr& batch : table->batches()) {
      for (int64_t r = 0; r < batch->num_rows(); ++r) {
        std::vector<std::string>& row = rows.emplace_back();
        for (int c = 0; c < batch->num_columns(); ++c) AppendJsonValue(&row.emplace_back(), batch->column(c), r);
      }
    }
  }
  return rows;
}

// Row for row: equal text, except numbers in `float_columns`, which may
// differ in their last bits (sums over a different split of the rows).
void ExpectSameRows(const std::string& single, const std::string& distributed, const std::vector<int>& float_columns,
                    int* single_parts, int* distributed_parts) {
  auto expected = ReadRows(single, single_parts);
  auto actual = ReadRows(distributed, distributed_parts);
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t r = 0; r < expected.size(); ++r) {
    ASSERT_EQ(expected[r].size(), actual[r].size());
    for (size_t c = 0; c < expected[r].size(); ++c) {
      bool is_float = std::find(float_columns.begin(), float_columns.end(), static_cast<int>(c)) != float_columns.end();
      if (is_float) {
        double a = std::stod(expected[r][c]), b = std::stod(actual[r][c]);
        ASSERT_NEAR(a, b, 1e-9 * (1 + std::abs(a))) << "row " << r << " column " << c;
      } else {
        ASSERT_EQ(expected[r][c], actual[r][c]) << "row " << r << " column " << c;
      }
    }
  }
}

// Every file of the two _state directories: dictionaries row for row,
// pipeline.yaml as text, state.json as text with numbers within rounding.
void ExpectSameState(const std::string& single, const std::string& distributed) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(single + "/_state")) names.push_back(entry.path().filename());
  std::vector<std::string> other;
  for (const auto& entry : fs::directory_iterator(distributed + "/_state")) other.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  std::sort(other.begin(), other.end());
  ASSERT_EQ(names, other);
  for (const std::string& name : names) {
    std::string a = single + "/_state/" + name, b = distributed + "/_state/" + name;
    if (fs::path(name).extension() == ".parquet") {
      auto left = parquet::ReadParquet(a), right = parquet::ReadParquet(b);
      ASSERT_TRUE(left.ok() && right.ok()) << name;
      std::string left_text, right_text;
      for (const auto& batch : left->batches()) {
        for (int64_t r = 0; r < batch->num_rows(); ++r) AppendJsonRow(&left_text, *batch, r);
      }
      for (const auto& batch : right->batches()) {
        for (int64_t r = 0; r < batch->num_rows(); ++r) AppendJsonRow(&right_text, *batch, r);
      }
      EXPECT_EQ(left_text, right_text) << name;
      EXPECT_GT(left->num_rows(), 0) << name;
    } else if (name == "state.json") {
      // Numbers compare within rounding: normalize's moments are sums taken in another order.
      std::regex number(R"(-?[0-9][0-9.eE+-]*)");
      std::string left = ReadFile(a), right = ReadFile(b);
      EXPECT_EQ(std::regex_replace(left, number, "N"), std::regex_replace(right, number, "N"));
      auto l = std::sregex_iterator(left.begin(), left.end(), number);
      auto r = std::sregex_iterator(right.begin(), right.end(), number);
      for (; l != std::sregex_iterator() && r != std::sregex_iterator(); ++l, ++r) {
        double x = std::stod(l->str()), y = std::stod(r->str());
        EXPECT_NEAR(x, y, 1e-9 * (1 + std::abs(x))) << l->str() << " vs " << r->str();
      }
    } else {
      // The recipe's pipeline.yaml names its output directory.
      std::string text = std::regex_replace(ReadFile(b), std::regex(distributed), single);
      EXPECT_EQ(ReadFile(a), text) << name;
    }
  }
}

// Splits a text file's lines into files of the given line counts (the rest in the last).
void SplitLines(const std::string& path, const std::vector<int>& counts, const std::string& directory) {
  std::ifstream in(path);
  fs::create_directories(directory);
  std::string line;
  for (size_t i = 0; i <= counts.size(); ++i) {
    std::ofstream out(directory + "/part" + std::to_string(i) + ".tsv");
    for (int n = 0; (i == counts.size() || n < counts[i]) && std::getline(in, line); ++n) out << line << "\n";
  }
}

class DistributedPrepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(Kiln())) GTEST_SKIP() << "build the kiln binary first";
    ASSERT_EQ(Shell("command -v mpirun"), 0) << "mpirun (openmpi-bin) is missing";
  }
  // Runs `arguments` alone and as two ranks; both must succeed.
  void RunBoth(const std::string& arguments, const std::string& single, const std::string& distributed) {
    std::string output;
    ASSERT_EQ(Shell(Kiln() + " prep " + arguments + " --out " + single, &output), 0) << output;
    ASSERT_EQ(Shell(Mpirun() + Kiln() + " prep " + arguments + " --out " + distributed, &output), 0) << output;
  }
  TempDir dir_;
};

// id, a string category (Zipf-like), an integer category, x with gaps, y.
std::string GeneratedTsv(int rows, uint64_t seed) {
  std::string text = "id\tcat\tcode\tx\ty\n";
  uint64_t state = seed;
  auto next = [&state] { return (state = state * 6364136223846793005ULL + 1442695040888963407ULL) >> 33; };
  for (int i = 0; i < rows; ++i) {
    uint64_t a = next(), b = next(), c = next();
    int cat = static_cast<int>(1000 / (1 + a % 997));  // Few frequent values, a long tail.
    text += std::to_string(i) + "\tc" + std::to_string(cat) + "\t" + std::to_string(b % 300) + "\t";
    if (c % 7 != 0) text += std::to_string(static_cast<double>(c % 100000) / 100 - 50);
    text += "\t" + std::to_string(static_cast<double>(a % 1000) / 10) + "\n";
  }
  return text;
}

std::string PipelineYaml(const std::string& input) {
  return "input: {path: " + input + ", format: tsv, quoted: false, "
         "schema: 'id:int64, cat:string, code:int64, x:float64, y:float64'}\n"
         "output: {format: parquet, rows_per_part: 1500}\n"
         "steps:\n"
         "  - {op: fill_na, columns: [x], value: 0}\n"
         "  - {op: log1p, columns: [x], negative_to_zero: true, type: float64}\n"
         "  - {op: normalize, columns: [y], type: float64}\n"
         "  - {op: categorify, columns: [cat], min_freq: 3, max_size: 40}\n"
         "  - {op: categorify, columns: [code], min_freq: 2, order: value}\n";
}

TEST_F(DistributedPrepTest, PipelineOnOneFileMatchesASingleProcess) {
  WriteFile(dir_.File("in.tsv"), GeneratedTsv(10000, 11));
  WriteFile(dir_.File("p.yaml"), PipelineYaml(dir_.File("in.tsv")));
  RunBoth(dir_.File("p.yaml"), dir_.File("one"), dir_.File("two"));
  int single_parts = 0, distributed_parts = 0;
  ExpectSameRows(dir_.File("one"), dir_.File("two"), {4}, &single_parts, &distributed_parts);
  EXPECT_EQ(single_parts, 7);       // 10000 rows / 1500.
  EXPECT_EQ(distributed_parts, 8);  // About 5000 rows per rank: 4 parts each.
  ExpectSameState(dir_.File("one"), dir_.File("two"));
  EXPECT_FALSE(fs::exists(dir_.File("two/_parsed-0.spill")));
}

TEST_F(DistributedPrepTest, PipelineOnSeveralFilesMatchesASingleProcess) {
  fs::create_directories(dir_.File("in"));
  WriteFile(dir_.File("in/a.tsv"), GeneratedTsv(3000, 1));
  WriteFile(dir_.File("in/b.tsv"), GeneratedTsv(10, 2));
  WriteFile(dir_.File("in/c.tsv"), GeneratedTsv(6000, 3));
  WriteFile(dir_.File("p.yaml"), PipelineYaml(dir_.File("in")));
  RunBoth(dir_.File("p.yaml"), dir_.File("one"), dir_.File("two"));
  int single_parts = 0, distributed_parts = 0;
  ExpectSameRows(dir_.File("one"), dir_.File("two"), {4}, &single_parts, &distributed_parts);
  EXPECT_GT(distributed_parts, single_parts - 1);
  ExpectSameState(dir_.File("one"), dir_.File("two"));
}

TEST_F(DistributedPrepTest, DlrmRecipeMatchesASingleProcess) {
  std::string input = dir_.File("criteo.tsv");
  ASSERT_EQ(Shell(Kiln() + " gen criteo --rows 30000 --seed 5 --out " + input), 0);
  RunBoth("--recipe dlrm --in " + input + " --min-freq 3 --rows-per-part 7000", dir_.File("one"), dir_.File("two"));
  int single_parts = 0, distributed_parts = 0;
  ExpectSameRows(dir_.File("one"), dir_.File("two"), {}, &single_parts, &distributed_parts);
  EXPECT_EQ(single_parts, 5);
  EXPECT_EQ(distributed_parts, 6);  // About 15000 rows per rank: 3 parts each.
  ExpectSameState(dir_.File("one"), dir_.File("two"));

  // Applying the saved state distributed gives the same rows again.
  ASSERT_EQ(Shell(Mpirun() + Kiln() + " prep apply " + dir_.File("two/_state") + " --in " + input + " --out " +
                  dir_.File("applied")),
            0);
  ExpectSameRows(dir_.File("one"), dir_.File("applied"), {}, &single_parts, &distributed_parts);
  EXPECT_EQ(distributed_parts, 6);

  // Several files, cut between the ranks inside the largest.
  SplitLines(input, {9000, 1}, dir_.File("split"));
  RunBoth("--recipe dlrm --in " + dir_.File("split") + " --min-freq 3 --rows-per-part 7000", dir_.File("one-split"),
          dir_.File("two-split"));
  ExpectSameRows(dir_.File("one"), dir_.File("one-split"), {}, &single_parts, &distributed_parts);
  ExpectSameRows(dir_.File("one-split"), dir_.File("two-split"), {}, &single_parts, &distributed_parts);
}

// Steps keyed on global row ids (k-fold target encoding, seeded negative
// sampling) and exact quantiles give the same rows on two ranks as on one.
TEST_F(DistributedPrepTest, RowIdAndQuantileOperatorsMatchASingleProcess) {
  WriteFile(dir_.File("in.tsv"), GeneratedTsv(8000, 21));
  WriteFile(dir_.File("p.yaml"),
            "input: {path: " + dir_.File("in.tsv") + ", format: tsv, quoted: false, "
            "schema: 'id:int64, cat:string, code:int64, x:float64, y:float64'}\n"
            "output: {format: parquet, rows_per_part: 3000}\n"
            "steps:\n"
            "  - {op: filter, expression: 'not is_null(x) and y < 90'}\n"
            "  - {op: bucketize, columns: [x], quantiles: 8, null_id: 8}\n"
            "  - {op: hash_bucket, columns: [cat], num_buckets: 50}\n"
            "  - {op: negative_sample, label: x, positive_value: 3, item: code, item_columns: [cat], "
            "negatives: 2, sampling: popularity, seed: 3}\n"
            "  - {op: target_encode, columns: [code], target: x, folds: 4, smoothing: 5}\n"
            "  - {op: join_groupby, keys: [cat], stats: [count]}\n");
  RunBoth(dir_.File("p.yaml"), dir_.File("one"), dir_.File("two"));
  int single_parts = 0, distributed_parts = 0;
  ExpectSameRows(dir_.File("one"), dir_.File("two"), {}, &single_parts, &distributed_parts);
  EXPECT_GT(single_parts, 2);
  ExpectSameState(dir_.File("one"), dir_.File("two"));
}

// Steps that reorder or split the whole stream do not run distributed yet:
// every rank fails up front with the same clear message, and nothing is written.
TEST_F(DistributedPrepTest, ReorderingStepsFailUpFrontUnderMpirun) {
  WriteFile(dir_.File("in.tsv"), GeneratedTsv(200, 4));
  for (const char* step : {"{op: sort, columns: [code]}", "{op: split, fractions: [0.5, 0.5]}"}) {
    WriteFile(dir_.File("p.yaml"), PipelineYaml(dir_.File("in.tsv")) + "  - " + step + "\n");
    std::string output;
    int exit_code = Shell(Mpirun() + Kiln() + " prep " + dir_.File("p.yaml") + " --out " + dir_.File("out"), &output);
    EXPECT_EQ(exit_code, 1) << output;
    EXPECT_NE(output.find("run this pipeline without mpirun"), std::string::npos) << output;
    EXPECT_FALSE(fs::exists(dir_.File("out")));
    // One process runs it.
    EXPECT_EQ(Shell(Kiln() + " prep " + dir_.File("p.yaml") + " --out " + dir_.File("one"), &output), 0) << output;
    fs::remove_all(dir_.File("one"));
  }
}

TEST_F(DistributedPrepTest, ABadRowOnOneRankFailsEveryRank) {
  std::string input = dir_.File("criteo.tsv");
  ASSERT_EQ(Shell(Kiln() + " gen criteo --rows 20000 --seed 9 --out " + input), 0);
  // Line 19990 is in rank 1's half: its label is not a number.
  std::string text = ReadFile(input);
  size_t at = 0;
  for (int line = 1; line < 19990; ++line) at = text.find('\n', at) + 1;
  text.replace(at, 1, "x");
  WriteFile(input, text);
  std::string output;
  int exit_code = Shell(Mpirun() + Kiln() + " prep --recipe dlrm --in " + input + " --out " + dir_.File("out"), &output);
  EXPECT_EQ(exit_code, 1) << output;
  // Every rank fails with rank 1's error, file and line; mpirun may end a
  // rank before it prints, once the first one exited with 1.
  std::regex report("rank 1 of 2: .*criteo\\.tsv:19990");
  auto found = std::distance(std::sregex_iterator(output.begin(), output.end(), report), std::sregex_iterator());
  EXPECT_GE(found, 1) << output;
  EXPECT_LE(found, 2) << output;
  EXPECT_FALSE(fs::exists(dir_.File("out")));
  for (const auto& entry : fs::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find("out.tmp-"), std::string::npos) << "left behind: " << entry.path();
  }
}

}  // namespace
}  // namespace kiln::prep
