// `kiln cat` and `kiln inspect` as users run them: output, options, exit
// codes and messages. Skipped when the kiln binary has not been built.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canonical_json.h"
#include "kiln/parquet/file_reader.h"
#include "parquet_file_builder.h"
#include "testing/temp_dir.h"
#include "testing/shared_data.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;
using kiln::testing::CompareJsonLines;
using kiln::testing::RunCommand;
using kiln::testing::SplitLines;

const std::string kKiln = KILN_BINARY_DIR "/kiln";

std::string Fixture(const std::string& name) {
  return kiln::testing::SharedPath("fixtures/parquet/" + name);
}

struct CliRun {
  int exit_code = 0;
  std::string output;  // stdout, or stdout and stderr when asked.
};

CliRun Kiln(const std::string& arguments, bool with_stderr = false) {
  CliRun run;
  run.output = RunCommand(kKiln + " " + arguments + (with_stderr ? " 2>&1" : " 2>/dev/null"), &run.exit_code);
  return run;
}

#define SKIP_WITHOUT_BINARY() \
  if (!fs::exists(kKiln)) GTEST_SKIP() << "kiln binary not built"

TEST(ReaderCliTest, CatPrintsWhatDuckDbReads) {
  SKIP_WITHOUT_BINARY();
  for (const char* name : {"duckdb_snappy_v1_rg4096", "polars_lists_zstd"}) {
    const std::string path = Fixture(std::string(name) + ".parquet");
    if (path.empty()) GTEST_SKIP() << "fixtures not found";
    CliRun cat = Kiln("cat " + path);
    ASSERT_EQ(cat.exit_code, 0);
    auto schema = ParquetFileReader::Open(path);
    ASSERT_TRUE(schema.ok());
    auto projection = (*schema)->Project({});
    const std::string expected = path.substr(0, path.size() - 8) + ".expected.jsonl";
    EXPECT_EQ(CompareJsonLines(*projection->schema, SplitLines(cat.output), kiln::testing::ReadLines(expected)), "")
        << name;
  }
}

TEST(ReaderCliTest, CatColumnsWhereAndLimit) {
  SKIP_WITHOUT_BINARY();
  const std::string path = Fixture("duckdb_snappy_v1_rg4096.parquet");
  if (path.empty()) GTEST_SKIP() << "fixtures not found";
  CliRun head = Kiln("cat " + path + " --columns cat,id --limit 2");
  EXPECT_EQ(head.exit_code, 0);
  EXPECT_EQ(head.output, "{\"cat\":\"cat_35\",\"id\":0}\n{\"cat\":null,\"id\":1}\n");
  CliRun where = Kiln("cat " + path + " --columns id --where 'id >= 9998'");
  EXPECT_EQ(where.output, "{\"id\":9998}\n{\"id\":9999}\n");
  CliRun none = Kiln("cat " + path + " --where 'id < 0'");
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.output, "");
  EXPECT_EQ(Kiln("cat " + path + " --limit 0").output, "");
}

TEST(ReaderCliTest, CatFailuresExitOneWithTheCause) {
  SKIP_WITHOUT_BINARY();
  kiln::testing::TempDir dir;
  kiln::testing::WriteFile(dir.File("text.parquet"), "this is not parquet at all");
  CliRun bad = Kiln("cat " + dir.File("text.parquet"), true);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("text.parquet"), std::string::npos) << bad.output;
  CliRun missing = Kiln("cat " + dir.File("nope.parquet"), true);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("nope.parquet"), std::string::npos) << missing.output;
  const std::string path = Fixture("polars_zstd.parquet");
  if (path.empty()) return;
  CliRun column = Kiln("cat " + path + " --columns id,nope", true);
  EXPECT_EQ(column.exit_code, 1);
  EXPECT_NE(column.output.find("'nope'"), std::string::npos) << column.output;
  CliRun where = Kiln("cat " + path + " --where 'id ~ 3'", true);
  EXPECT_EQ(where.exit_code, 1);
  EXPECT_NE(where.output.find("column op value"), std::string::npos) << where.output;
  EXPECT_EQ(Kiln("cat").exit_code, 2);
}

TEST(ReaderCliTest, InspectDescribesSchemaRowGroupsAndStatistics) {
  SKIP_WITHOUT_BINARY();
  const std::string path = Fixture("duckdb_snappy_v1_rg4096.parquet");
  if (path.empty()) GTEST_SKIP() << "fixtures not found";
  CliRun inspect = Kiln("inspect " + path);
  ASSERT_EQ(inspect.exit_code, 0);
  for (const char* part : {"rows: 10,000 in 3 row groups", "optional INT64 price (DECIMAL(12,2))",
                           "price: decimal(12,2)", "row group 2: 1,808 rows", "id: INT32 SNAPPY",
                           "min 0, max 4095, nulls 0", "min 'cat_0'", "day: INT32 SNAPPY", "min 2001-"}) {
    EXPECT_NE(inspect.output.find(part), std::string::npos) << part << "\n" << inspect.output;
  }
  kiln::testing::TempDir dir;
  fs::create_directories(dir.File("k=1"));
  fs::copy_file(path, dir.File("k=1/a.parquet"));
  CliRun directory = Kiln("inspect " + dir.path());
  EXPECT_EQ(directory.exit_code, 0);
  EXPECT_NE(directory.output.find("dataset: " + dir.path() + " (1 files)"), std::string::npos) << directory.output;
  EXPECT_NE(Kiln("cat " + dir.path() + " --columns k,id --limit 1").output.find("{\"k\":1,\"id\":0}"),
            std::string::npos);
}

}  // namespace
}  // namespace kiln::parquet
