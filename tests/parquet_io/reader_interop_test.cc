// Files the fixtures do not cover, written by DuckDB and Polars on the spot
// (tools/interop/make_fixture.mjs: other seeds, row-group sizes, codecs, page
// versions, nulls, lists, long strings, empty files), read by Kiln and
// compared with DuckDB's own reading of the same file
// (tools/interop/read_canonical.mjs). Skipped when tools/interop has no
// node_modules (`npm ci` there installs them; `make test` does).
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canonical_json.h"
#include "kiln/parquet/dataset.h"
#include "kiln/parquet/file_reader.h"
#include "testing/temp_dir.h"
#include "testing/shared_data.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;
using kiln::testing::CompareJsonLines;
using kiln::testing::RunCommand;
using kiln::testing::SplitLines;
using kiln::testing::TableToJsonLines;

const std::string kInterop = KILN_SOURCE_DIR "/tools/interop";

bool InteropAvailable() {
  int code = 0;
  RunCommand("node --version > /dev/null 2>&1", &code);
  return code == 0 && fs::exists(kInterop + "/node_modules/@duckdb/node-api") &&
         fs::exists(kInterop + "/node_modules/nodejs-polars");
}

#define SKIP_WITHOUT_INTEROP() \
  if (!InteropAvailable()) GTEST_SKIP() << "node or tools/interop/node_modules missing (npm ci there)"

std::string Quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Writes a file with make_fixture.mjs; false (with a test failure) if it fails.
bool MakeFixture(const std::string& arguments, const std::string& out) {
  int code = 0;
  std::string output =
      RunCommand("node " + kInterop + "/make_fixture.mjs " + arguments + " --out " + Quote(out) + " 2>&1", &code);
  EXPECT_EQ(code, 0) << arguments << ": " << output;
  return code == 0;
}

// DuckDB's canonical lines for `path`, with extra read_canonical.mjs arguments.
std::vector<std::string> DuckDbLines(const std::string& path, const std::string& arguments = "") {
  int code = 0;
  std::string output = RunCommand("node " + kInterop + "/read_canonical.mjs " + Quote(path) + " " + arguments, &code);
  EXPECT_EQ(code, 0) << output.substr(0, 500);
  return SplitLines(output);
}

// Reads `path` with Kiln and compares with DuckDB's reading.
void ExpectSameAsDuckDb(const std::string& path, const ParquetReadOptions& options = {},
                        const std::string& duckdb_arguments = "", bool any_order = false) {
  auto reader = OpenParquet(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Result<Table> table = ReadAll(reader->get());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  std::vector<std::string> kiln = TableToJsonLines(*table), duckdb = DuckDbLines(path, duckdb_arguments);
  if (any_order) {
    std::sort(kiln.begin(), kiln.end());
    std::sort(duckdb.begin(), duckdb.end());
  }
  EXPECT_EQ(CompareJsonLines(*table->schema(), kiln, duckdb), "") << path;
}

struct Case {
  const char* engine;
  const char* kind;
  const char* codec;
  int rows;
  int row_group_size;
  bool v2;
  int page_size = 0;  // Polars' data page size limit in bytes; 0: its default.
};

TEST(ReaderInteropTest, GeneratedFilesReadAsDuckDbReadsThem) {
  SKIP_WITHOUT_INTEROP();
  const Case cases[] = {
      {"duckdb", "types", "snappy", 3000, 1000, false},    {"duckdb", "types", "zstd", 2500, 100000, true},
      {"duckdb", "types", "gzip", 1200, 500, true},        {"duckdb", "types", "brotli", 900, 300, false},
      {"duckdb", "types", "lz4", 700, 250, true},          {"duckdb", "types", "uncompressed", 0, 1000, false},
      {"duckdb", "lists", "snappy", 2000, 700, false},     {"duckdb", "lists", "zstd", 1500, 2000, true},
      {"duckdb", "nulls", "zstd", 1000, 300, true},        {"duckdb", "bigstrings", "zstd", 40, 16, false},
      {"polars", "types", "zstd", 3000, 1000, false},      {"polars", "types", "lz4", 1000, 333, false},
      {"polars", "types", "gzip", 800, 100000, false},     {"polars", "types", "brotli", 600, 200, false},
      {"polars", "types", "uncompressed", 0, 100, false},  {"polars", "lists", "snappy", 2000, 600, false},
      {"polars", "nulls", "zstd", 1000, 300, false},       {"polars", "bigstrings", "snappy", 30, 8, false},
      {"polars", "lists", "zstd", 3000, 3000, false, 512}, {"polars", "types", "snappy", 3000, 3000, false, 1024},
  };
  kiln::testing::TempDir dir;
  int seed = 11;
  for (const Case& c : cases) {
    const std::string name = std::string(c.engine) + "_" + c.kind + "_" + c.codec + (c.v2 ? "_v2" : "") + "_" +
                             std::to_string(c.rows) + ".parquet";
    SCOPED_TRACE(name);
    const std::string arguments = std::string("--engine ") + c.engine + " --kind " + c.kind + " --codec " + c.codec +
                                  " --rows " + std::to_string(c.rows) + " --row-group-size " +
                                  std::to_string(c.row_group_size) + " --seed " + std::to_string(seed++) +
                                  (c.v2 ? " --v2" : "") +
                                  (c.page_size > 0 ? " --page-size " + std::to_string(c.page_size) : "");
    if (!MakeFixture(arguments, dir.File(name))) continue;
    ExpectSameAsDuckDb(dir.File(name));
  }
}

TEST(ReaderInteropTest, WhereAndColumnsMatchDuckDbsSelect) {
  SKIP_WITHOUT_INTEROP();
  kiln::testing::TempDir dir;
  const std::string path = dir.File("types.parquet");
  ASSERT_TRUE(MakeFixture("--engine duckdb --kind types --rows 5000 --row-group-size 500 --seed 5", path));
  // Each predicate is also valid SQL, so both sides read the same text.
  for (const char* predicate : {"i64 >= 0", "cat = 'cat_7'", "day < '1980-01-01'", "d9 > 500.25", "u32 != 7",
                                "f64 <= -1000.5", "txt IS NULL", "ts > '2000-01-01 00:00:00'", "flag = true"}) {
    SCOPED_TRACE(predicate);
    ParquetReadOptions options;
    options.predicate = predicate;
    options.columns = {"id", "cat", "d9"};
    ExpectSameAsDuckDb(path, options, "--columns id,cat,d9 --where " + Quote(predicate));
  }
}

TEST(ReaderInteropTest, HiveDatasetMatchesDuckDb) {
  SKIP_WITHOUT_INTEROP();
  kiln::testing::TempDir dir;
  int seed = 3;
  for (const char* partition : {"year=2020/kind=a", "year=2020/kind=b", "year=2021/kind=a"}) {
    fs::create_directories(dir.File(partition));
    ASSERT_TRUE(MakeFixture("--engine polars --kind lists --rows 300 --seed " + std::to_string(seed++),
                            dir.File(std::string(partition) + "/part.parquet")));
  }
  // DuckDB orders partition keys its own way: ask for Kiln's order.
  ExpectSameAsDuckDb(dir.path(), {}, "--columns id,li,ls,ld,year,kind", /*any_order=*/true);
}

TEST(ReaderInteropTest, FlightsDatasetMatchesDuckDb) {
  SKIP_WITHOUT_INTEROP();
  const std::string path = kiln::testing::SharedPath("datasets/flights-3m.parquet");
  if (path.empty()) GTEST_SKIP() << "flights-3m.parquet not found";
  ExpectSameAsDuckDb(path);
}

}  // namespace
}  // namespace kiln::parquet
