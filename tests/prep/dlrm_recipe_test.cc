// `kiln prep --recipe dlrm` as users run it, checked against a plain
// reference computed here from the TSV text, against `kiln prep apply`, and
// (when the peers are installed) against DuckDB with w1_compare.mjs.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "kiln/parquet/file_reader.h"
#include "testing/temp_dir.h"
#include "testing/shared_data.h"

namespace kiln::prep {
namespace {

constexpr int kMinFreq = 3;

int Shell(const std::string& command) {
  int status = std::system((command + " > /dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Kiln() { return std::string(KILN_BINARY_DIR) + "/kiln"; }

struct Rows {
  std::vector<int32_t> label;
  std::vector<std::vector<float>> dense = std::vector<std::vector<float>>(13);
  std::vector<std::vector<int32_t>> sparse = std::vector<std::vector<int32_t>>(26);
};

// The recipe's definition, written the obvious way over the raw text.
Rows Reference(const std::string& path) {
  std::vector<std::vector<std::string>> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, '\t');) fields.push_back(field);
    if (!line.empty() && line.back() == '\t') fields.push_back("");
    lines.push_back(fields);
  }
  Rows rows;
  for (const auto& fields : lines) {
    rows.label.push_back(std::stoi(fields[0]));
    for (int i = 0; i < 13; ++i) {
      double value = fields[1 + i].empty() ? 0 : std::max(0.0, std::stod(fields[1 + i]));
      rows.dense[i].push_back(static_cast<float>(std::log(1 + value)));
    }
  }
  for (int c = 0; c < 26; ++c) {
    std::map<std::string, int64_t> counts;
    for (const auto& fields : lines) {
      if (!fields[14 + c].empty()) ++counts[fields[14 + c]];
    }
    std::vector<std::pair<std::string, int64_t>> kept;
    for (const auto& entry : counts) {
      if (entry.second >= kMinFreq) kept.push_back(entry);
    }
    std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::map<std::string, int32_t> ids;
    for (size_t i = 0; i < kept.size(); ++i) ids[kept[i].first] = static_cast<int32_t>(i + 1);
    for (const auto& fields : lines) {
      auto found = ids.find(fields[14 + c]);
      rows.sparse[c].push_back(found == ids.end() ? 0 : found->second);
    }
  }
  return rows;
}

// The rows of a dataset directory: part files in name order.
Rows ReadDataset(const std::string& directory, int* parts) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() == ".parquet") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  *parts = static_cast<int>(files.size());
  Rows rows;
  for (const std::string& file : files) {
    auto table = parquet::ReadParquet(file);
    EXPECT_TRUE(table.ok()) << table.status().ToString();
    if (!table.ok()) continue;
    EXPECT_EQ(table->schema()->field(0).type, DataType::Int32());
    EXPECT_EQ(table->schema()->field(1).type, DataType::Float32());
    EXPECT_EQ(table->schema()->field(14).type, DataType::Int32());
    for (const RecordBatchPtr& batch : table->batches()) {
      for (int64_t r = 0; r < batch->num_rows(); ++r) {
        rows.label.push_back(batch->column(0).Value<int32_t>(r));
        for (int i = 0; i < 13; ++i) rows.dense[i].push_back(batch->column(1 + i).Value<float>(r));
        for (int c = 0; c < 26; ++c) rows.sparse[c].push_back(batch->column(14 + c).Value<int32_t>(r));
      }
    }
  }
  return rows;
}

void ExpectSameRows(const Rows& expected, const Rows& actual) {
  ASSERT_EQ(expected.label.size(), actual.label.size());
  EXPECT_EQ(expected.label, actual.label);
  for (int i = 0; i < 13; ++i) {
    for (size_t r = 0; r < expected.label.size(); ++r) {
      ASSERT_NEAR(expected.dense[i][r], actual.dense[i][r], 1e-6 * (1 + expected.dense[i][r])) << "I" << i + 1 << " row " << r;
    }
  }
  for (int c = 0; c < 26; ++c) EXPECT_EQ(expected.sparse[c], actual.sparse[c]) << "C" << c + 1;
}

class DlrmRecipeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(Kiln())) GTEST_SKIP() << "build the kiln binary first";
    input_ = dir_.File("criteo.tsv");
    ASSERT_EQ(Shell(Kiln() + " gen criteo --rows 20000 --seed 3 --out " + input_), 0);
  }
  kiln::testing::TempDir dir_;
  std::string input_;
};

TEST_F(DlrmRecipeTest, MatchesTheReferenceAndApply) {
  std::string out = dir_.File("out");
  ASSERT_EQ(Shell(Kiln() + " prep --recipe dlrm --in " + input_ + " --out " + out +
                  " --min-freq 3 --rows-per-part 7000"),
            0);
  int parts = 0;
  Rows expected = Reference(input_);
  ExpectSameRows(expected, ReadDataset(out, &parts));
  EXPECT_EQ(parts, 3);
  EXPECT_TRUE(std::filesystem::exists(out + "/_state/state.json"));

  std::string applied = dir_.File("applied");
  ASSERT_EQ(Shell(Kiln() + " prep apply " + out + "/_state --in " + input_ + " --out " + applied), 0);
  ExpectSameRows(expected, ReadDataset(applied, &parts));

  // An existing output is refused, and left alone.
  EXPECT_EQ(Shell(Kiln() + " prep --recipe dlrm --in " + input_ + " --out " + out), 1);
  EXPECT_TRUE(std::filesystem::exists(out + "/part-00002.parquet"));
}

TEST_F(DlrmRecipeTest, AgreesWithDuckDb) {
  const std::string peers = kiln::testing::PeersHome();
  if (!std::filesystem::exists(peers + "/node_modules")) GTEST_SKIP() << "peers not installed (../shared/peers/install.sh)";
  std::string out = dir_.File("out");
  ASSERT_EQ(Shell(Kiln() + " prep --recipe dlrm --in " + input_ + " --out " + out + " --rows-per-part 5000"), 0);
  ASSERT_EQ(Shell("node " + peers + "/w1_duckdb.mjs " + input_ + " " + dir_.File("duck.parquet") + " 3"), 0);
  EXPECT_EQ(Shell("node " + peers + "/w1_compare.mjs " + out + " " + dir_.File("duck.parquet")), 0);
}

}  // namespace
}  // namespace kiln::prep
