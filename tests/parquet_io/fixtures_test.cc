// Every DuckDB and Polars fixture file, read by the Parquet reader and printed
// in canonical JSON as `kiln cat` does, equals DuckDB's own reading of it
// (NAME.expected.jsonl). Also checks that the streaming, single-threaded and
// projected reads agree with the whole-file read.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canonical_json.h"
#include "kiln/io/json_format.h"
#include "kiln/parquet/file_reader.h"
#include "testing/shared_data.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;
using kiln::testing::CompareJsonLines;
using kiln::testing::ReadLines;
using kiln::testing::TableToJsonLines;

std::optional<fs::path> FixtureDirectory() {
  const std::string directory = kiln::testing::SharedPath("fixtures/parquet");
  if (directory.empty()) return std::nullopt;
  return fs::path(directory);
}

std::vector<fs::path> FixtureFiles() {
  std::vector<fs::path> files;
  auto directory = FixtureDirectory();
  if (!directory) return files;
  for (const auto& entry : fs::directory_iterator(*directory)) {
    if (entry.path().extension() == ".parquet") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> Expected(const fs::path& file) {
  fs::path expected = file;
  expected.replace_extension(".expected.jsonl");
  return ReadLines(expected.string());
}

TEST(FixturesTest, EveryFixtureReadsAsDuckDbReadsIt) {
  const std::vector<fs::path> files = FixtureFiles();
  if (files.empty()) GTEST_SKIP() << "shared/fixtures/parquet not found";
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    Result<Table> table = ReadParquet(file.string());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(CompareJsonLines(*table->schema(), TableToJsonLines(*table), Expected(file)), "");
  }
}

TEST(FixturesTest, StreamingSerialReadEqualsParallelRead) {
  for (const fs::path& file : FixtureFiles()) {
    SCOPED_TRACE(file.filename().string());
    Result<Table> parallel = ReadParquet(file.string());
    ASSERT_TRUE(parallel.ok()) << parallel.status().ToString();
    ParquetReadOptions options;
    options.threads = 1;
    options.row_groups_in_flight = 1;
    auto reader = ParquetReader::Open(file.string(), options);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    Result<Table> serial = ReadAll(reader->get());
    ASSERT_TRUE(serial.ok()) << serial.status().ToString();
    EXPECT_EQ(static_cast<int>(serial->batches().size()), (*reader)->file().num_row_groups());
    EXPECT_EQ(TableToJsonLines(*serial), TableToJsonLines(*parallel));
  }
}

TEST(FixturesTest, ProjectionReadsTheChosenColumnsInOrder) {
  for (const fs::path& file : FixtureFiles()) {
    SCOPED_TRACE(file.filename().string());
    auto whole = ReadParquet(file.string());
    ASSERT_TRUE(whole.ok());
    const Schema& schema = *whole->schema();
    // The last column, then the first: order follows the request.
    ParquetReadOptions options;
    options.columns = {schema.field(schema.num_fields() - 1).name, schema.field(0).name};
    auto projected = ReadParquet(file.string(), options);
    ASSERT_TRUE(projected.ok()) << projected.status().ToString();
    ASSERT_EQ(projected->num_columns(), 2);
    ASSERT_EQ(projected->num_rows(), whole->num_rows());
    RecordBatchPtr all = whole->Combine(), some = projected->Combine();
    for (int64_t row = 0; row < all->num_rows(); row += 97) {
      std::string left, right;
      AppendJsonValue(&left, all->column(schema.num_fields() - 1), row);
      AppendJsonValue(&left, all->column(0), row);
      AppendJsonValue(&right, some->column(0), row);
      AppendJsonValue(&right, some->column(1), row);
      ASSERT_EQ(left, right) << "row " << row;
    }
  }
}

}  // namespace
}  // namespace kiln::parquet
