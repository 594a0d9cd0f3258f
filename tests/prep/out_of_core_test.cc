// `kiln prep --memory-limit` on an input five times larger than the limit,
// with a string column of 1.6 M distinct values (whose counts alone would
// need several times the limit in memory): run as a child process, its
// peak RSS must stay under the limit and every output id must be the one
// counted by hand (the same a run without a limit gives).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "kiln/parquet/file_reader.h"
#include "testing/run_command.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

constexpr int64_t kRows = 2'000'000;
constexpr int64_t kLimitBytes = 50 << 20;
constexpr int kHotValues = 1000;

// Row i: every fifth row "hot<i / 5 mod 1000>" (seen 400 times each), the
// others a value seen once; a 100-byte filler column makes the text large.
std::string Key(int64_t i) {
  if (i % 5 == 0) return "hot" + std::to_string(i / 5 % kHotValues);
  char text[32];
  std::snprintf(text, sizeof(text), "u%012llx", static_cast<unsigned long long>((i * 2654435761LL) % (1LL << 40)));
  return text;
}

void WriteInput(const std::string& path) {
  std::ofstream out(path);
  std::string filler(100, 'p');
  out << "id,key,filler\n";
  for (int64_t i = 0; i < kRows; ++i) out << i << ',' << Key(i) << ',' << filler << '\n';
}

// The peak RSS in MB that the run reports on its last line (the child's
// own VmHWM: wait4's ru_maxrss would also count the parent's memory at
// the spawn), or -1.
int64_t ReportedPeakMb(const std::string& log) {
  size_t at = log.rfind("peak RSS ");
  return at == std::string::npos ? -1 : std::stoll(log.substr(at + 9));
}

TEST(OutOfCoreTest, CategorifyUnderAMemoryLimitFiveTimesSmallerThanTheInput) {
#if defined(__SANITIZE_ADDRESS__)
  // ASan's shadow memory alone is several times the limit.
  GTEST_SKIP() << "peak RSS is not comparable under AddressSanitizer";
#endif
  kiln::testing::TempDir dir;
  std::string input = dir.File("in.csv");
  WriteInput(input);
  std::ifstream sized(input, std::ios::ate);
  ASSERT_GE(static_cast<int64_t>(sized.tellg()), 4 * kLimitBytes + kLimitBytes / 2);
  kiln::testing::WriteFile(dir.File("p.yaml"), "input: {path: " + input + ", format: csv}\n" +
                                                   "output: {path: " + dir.File("out") + "}\n" +
                                                   "steps:\n  - {op: categorify, columns: [key], min_freq: 2}\n");
  int exit_code = -1;
  std::string log = kiln::testing::RunCommand("KILN_LOG=info " + std::string(KILN_BINARY_DIR) + "/kiln prep " +
                                                  dir.File("p.yaml") + " --memory-limit 50MB 2>&1",
                                              &exit_code);
  ASSERT_EQ(exit_code, 0) << log;
  EXPECT_NE(log.find("'key' spilled"), std::string::npos) << log;
  int64_t peak_mb = ReportedPeakMb(log);
  EXPECT_GT(peak_mb, 0) << log;
  EXPECT_LT(peak_mb + 1, kLimitBytes >> 20) << log;  // The report rounds down.

  // The hot values tie at 400: ids 1..1000 in text order ("hot0" < "hot1" < "hot10" ...).
  std::vector<std::string> hot;
  for (int v = 0; v < kHotValues; ++v) hot.push_back("hot" + std::to_string(v));
  std::sort(hot.begin(), hot.end());
  std::map<std::string, int32_t> ids;
  for (int v = 0; v < kHotValues; ++v) ids[hot[v]] = v + 1;
  int64_t row = 0, wrong = 0;
  for (int part = 0; part < 2; ++part) {
    auto table = parquet::ReadParquet(dir.File("out/part-0000" + std::to_string(part) + ".parquet"));
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    for (const RecordBatchPtr& batch : table->batches()) {
      for (int64_t r = 0; r < batch->num_rows(); ++r, ++row) {
        int32_t expected = row % 5 == 0 ? ids[Key(row)] : 0;
        wrong += batch->column(0).Value<int32_t>(r) != row || batch->column(1).Value<int32_t>(r) != expected;
      }
    }
  }
  EXPECT_EQ(row, kRows);
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace kiln::prep
