#include "kiln/gen/criteo_writer.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/core/file.h"
#include "kiln/gen/criteo_generator.h"

namespace kiln {
namespace {

// A fresh directory per test, removed with its files afterwards.
class CriteoWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "kiln_criteo_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    for (const std::string& name : ListDir()) {
      const std::string path = dir_ + "/" + name;
      if (::unlink(path.c_str()) != 0) ::rmdir(path.c_str());
    }
    ::rmdir(dir_.c_str());
  }
  std::vector<std::string> ListDir() const {
    std::vector<std::string> names;
    DIR* dir = ::opendir(dir_.c_str());
    if (dir == nullptr) return names;
    while (dirent* entry = ::readdir(dir)) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(dir);
    return names;
  }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_;  // Scratch directory.
};

std::string ReadAll(const std::string& path) {
  auto contents = ReadFileToString(path);
  EXPECT_TRUE(contents.ok()) << contents.status().ToString();
  return contents.ok() ? *contents : std::string();
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string_view::npos; start = end + 1) {
    parts.push_back(text.substr(start, end - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

// The number after "key": in a flat JSON object; NaN if absent or null.
double JsonNumber(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return std::nan("");
  return std::strtod(json.c_str() + at + key.size() + 3, nullptr);
}

bool IsInteger(std::string_view field) {
  if (!field.empty() && field[0] == '-') field.remove_prefix(1);
  if (field.empty()) return false;
  for (char c : field) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsLowerHex8(std::string_view field) {
  if (field.size() != 8) return false;
  for (char c : field) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<CriteoSummary> Write(const std::string& path, int64_t rows, uint64_t seed, ThreadPool* pool = nullptr) {
  CriteoOptions options;
  options.rows = rows;
  options.seed = seed;
  return WriteCriteoTsv(path, options, pool);
}

TEST_F(CriteoWriterTest, SameSeedSameBytesWhateverTheThreadCount) {
  ThreadPool one(1), three(3);
  ASSERT_TRUE(Write(Path("a.tsv"), 70000, 5, &one).ok());
  ASSERT_TRUE(Write(Path("b.tsv"), 70000, 5, &three).ok());
  ASSERT_TRUE(Write(Path("c.tsv"), 70000, 5).ok());
  const std::string a = ReadAll(Path("a.tsv"));
  EXPECT_GT(a.size(), 70000u * 100);
  EXPECT_TRUE(a == ReadAll(Path("b.tsv")));
  EXPECT_TRUE(a == ReadAll(Path("c.tsv")));
  EXPECT_EQ(ReadAll(Path("a.tsv.meta.json")), ReadAll(Path("b.tsv.meta.json")));
}

TEST_F(CriteoWriterTest, DifferentSeedsDiffer) {
  ASSERT_TRUE(Write(Path("a.tsv"), 1000, 1).ok());
  ASSERT_TRUE(Write(Path("b.tsv"), 1000, 2).ok());
  const std::string a_text = ReadAll(Path("a.tsv"));
  const std::vector<std::string_view> a = Split(a_text, '\n');
  const std::string b_text = ReadAll(Path("b.tsv"));
  const std::vector<std::string_view> b = Split(b_text, '\n');
  ASSERT_EQ(a.size(), b.size());
  int differing = 0;
  for (size_t i = 0; i < a.size(); ++i) differing += a[i] != b[i];
  EXPECT_GT(differing, 990);
}

TEST_F(CriteoWriterTest, EveryLineHasTheCriteoFormat) {
  const int64_t rows = 40000;  // Not a multiple of the block size.
  auto summary = Write(Path("f.tsv"), rows, 11);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const std::string text = ReadAll(Path("f.tsv"));
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  std::vector<std::string_view> lines = Split(text, '\n');
  lines.pop_back();  // After the final '\n'.
  ASSERT_EQ(static_cast<int64_t>(lines.size()), rows);
  int64_t positives = 0, empty_integers = 0, empty_categories = 0;
  for (std::string_view line : lines) {
    const std::vector<std::string_view> fields = Split(line, '\t');
    ASSERT_EQ(fields.size(), 40u) << line;
    ASSERT_TRUE(fields[0] == "0" || fields[0] == "1") << line;
    positives += fields[0] == "1";
    for (int j = 1; j <= 13; ++j) {
      if (fields[j].empty()) {
        ++empty_integers;
      } else {
        ASSERT_TRUE(IsInteger(fields[j])) << line;
      }
    }
    for (int c = 14; c < 40; ++c) {
      if (fields[c].empty()) {
        ++empty_categories;
      } else {
        ASSERT_TRUE(IsLowerHex8(fields[c])) << line;
      }
    }
  }
  EXPECT_EQ(positives, summary->positives);
  EXPECT_EQ(summary->bytes, static_cast<int64_t>(text.size()));
  EXPECT_GT(empty_integers, 0);
  EXPECT_GT(empty_categories, 0);
}

TEST_F(CriteoWriterTest, MetaJsonDescribesTheFile) {
  auto summary = Write(Path("m.tsv"), 20000, 77);
  ASSERT_TRUE(summary.ok());
  const std::string json = ReadAll(Path("m.tsv.meta.json"));
  EXPECT_NE(json.find("\"format\": \"criteo-tsv\""), std::string::npos) << json;
  EXPECT_EQ(JsonNumber(json, "rows"), 20000);
  EXPECT_EQ(JsonNumber(json, "seed"), 77);
  EXPECT_EQ(JsonNumber(json, "positive_rate"), summary->positive_rate);
  EXPECT_EQ(JsonNumber(json, "bayes_auc"), summary->bayes_auc);
  EXPECT_EQ(summary->rows, 20000);
  EXPECT_EQ(summary->seed, 77u);
  EXPECT_NEAR(summary->positive_rate, static_cast<double>(summary->positives) / 20000, 1e-15);
  EXPECT_NEAR(summary->positive_rate, 0.25, 0.03);
  EXPECT_GT(summary->bayes_auc, 0.75);
  EXPECT_LT(summary->bayes_auc, 0.85);
}

// The Bayes AUC in the JSON equals a pair-by-pair count over the true
// probabilities (regenerated) and the labels (read back from the file).
TEST_F(CriteoWriterTest, BayesAucMatchesBruteForcePairCount) {
  const int64_t rows = 3000;
  ASSERT_TRUE(Write(Path("auc.tsv"), rows, 21).ok());
  const std::string text = ReadAll(Path("auc.tsv"));
  std::vector<uint8_t> labels;
  for (std::string_view line : Split(text, '\n')) {
    if (!line.empty()) labels.push_back(line[0] == '1' ? 1 : 0);
  }
  ASSERT_EQ(static_cast<int64_t>(labels.size()), rows);

  CriteoGenerator generator(rows, 21);
  CriteoRows regenerated;
  generator.GenerateRows(0, rows, &regenerated);
  std::vector<double> probabilities(rows);
  for (int64_t i = 0; i < rows; ++i) {
    ASSERT_EQ(regenerated.labels[i], labels[i]) << "row " << i;
    probabilities[i] = CriteoGenerator::BucketProbability(regenerated.probability_buckets[i]);
  }
  double wins = 0.0;
  int64_t pairs = 0;
  for (int64_t i = 0; i < rows; ++i) {
    if (!labels[i]) continue;
    for (int64_t j = 0; j < rows; ++j) {
      if (labels[j]) continue;
      ++pairs;
      wins += probabilities[i] > probabilities[j] ? 1.0 : probabilities[i] == probabilities[j] ? 0.5 : 0.0;
    }
  }
  ASSERT_GT(pairs, 0);
  const double json_auc = JsonNumber(ReadAll(Path("auc.tsv.meta.json")), "bayes_auc");
  EXPECT_NEAR(json_auc, wins / static_cast<double>(pairs), 1e-9);
}

TEST_F(CriteoWriterTest, ProgressOptionDoesNotChangeTheBytes) {
  ASSERT_TRUE(Write(Path("quiet.tsv"), 20000, 4).ok());
  CriteoOptions options;
  options.rows = 20000;
  options.seed = 4;
  options.show_progress = true;
  ASSERT_TRUE(WriteCriteoTsv(Path("loud.tsv"), options).ok());
  EXPECT_TRUE(ReadAll(Path("quiet.tsv")) == ReadAll(Path("loud.tsv")));
}

TEST_F(CriteoWriterTest, ZeroRowsWritesAnEmptyFile) {
  auto summary = Write(Path("z.tsv"), 0, 1);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(ReadAll(Path("z.tsv")), "");
  EXPECT_TRUE(std::isnan(summary->bayes_auc));
  EXPECT_NE(ReadAll(Path("z.tsv.meta.json")).find("\"bayes_auc\": null"), std::string::npos);
}

TEST_F(CriteoWriterTest, RejectsNegativeRowsAndEmptyPath) {
  auto negative = Write(Path("n.tsv"), -1, 1);
  EXPECT_EQ(negative.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Write("", 10, 1).status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(ListDir().empty());
}

TEST_F(CriteoWriterTest, UnwritableDirectoryFailsAndLeavesNothing) {
  auto result = Write(Path("missing_dir/x.tsv"), 1000, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kIOError);
  EXPECT_TRUE(ListDir().empty());
}

TEST_F(CriteoWriterTest, FailedRenameLeavesNoTemporaryFile) {
  // The final name is taken by a directory, so the last step (rename) fails
  // after all rows were written to the temporary file.
  ASSERT_EQ(::mkdir(Path("taken.tsv").c_str(), 0755), 0);
  auto result = Write(Path("taken.tsv"), 50000, 1);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(ListDir(), std::vector<std::string>{"taken.tsv"});
}

TEST_F(CriteoWriterTest, RewritingReplacesFileAndMeta) {
  ASSERT_TRUE(Write(Path("r.tsv"), 5000, 1).ok());
  ASSERT_TRUE(Write(Path("r.tsv"), 3000, 2).ok());
  const std::string json = ReadAll(Path("r.tsv.meta.json"));
  EXPECT_EQ(JsonNumber(json, "rows"), 3000);
  EXPECT_EQ(JsonNumber(json, "seed"), 2);
  EXPECT_EQ(ListDir().size(), 2u);
}

}  // namespace
}  // namespace kiln
