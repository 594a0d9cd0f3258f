#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/io/csv_writer.h"
#include "kiln/io/json_writer.h"
#include "testing/temp_dir.h"

namespace kiln {
namespace {

RecordBatchPtr MixedBatch(int rows) {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      {"id", DataType::Int32()}, {"name", DataType::String()}, {"score", DataType::Float64()}});
  ColumnBuilder ids(DataType::Int32()), names(DataType::String()), scores(DataType::Float64());
  for (int i = 0; i < rows; ++i) {
    ids.Append<int32_t>(i);
    switch (i % 4) {
      case 0: names.AppendString("plain"); break;
      case 1: names.AppendString("has,comma \"quoted\""); break;
      case 2: names.AppendString(""); break;
      default: names.AppendNull(); break;
    }
    if (i % 5 == 4) {
      scores.AppendNull();
    } else {
      scores.Append<double>(i * 0.5);
    }
  }
  return *RecordBatch::Make(schema, {ids.Finish(), names.Finish(), scores.Finish()});
}

TEST(CsvWriterTest, QuotesWhereNeededAndTellsEmptyFromNull) {
  testing::TempDir dir;
  std::string path = dir.File("out.csv");
  auto batch = MixedBatch(5);
  auto writer = CsvWriter::Open(path, batch->schema());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ(testing::ReadFile(path),
            "id,name,score\n"
            "0,plain,0\n"
            "1,\"has,comma \"\"quoted\"\"\",0.5\n"
            "2,\"\",1\n"
            "3,,1.5\n"
            "4,plain,\n");
}

TEST(CsvWriterTest, TsvWithNullStringAndNoHeader) {
  testing::TempDir dir;
  std::string path = dir.File("out.tsv");
  auto batch = MixedBatch(4);
  CsvWriteOptions options;
  options.delimiter = '\t';
  options.header = false;
  options.null_string = "\\N";
  auto writer = CsvWriter::Open(path, batch->schema(), options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_EQ(testing::ReadFile(path),
            "0\tplain\t0\n"
            "1\t\"has,comma \"\"quoted\"\"\"\t0.5\n"
            "2\t\t1\n"
            "3\t\\N\t1.5\n");
}

TEST(JsonLinesWriterTest, ManyRowsStayInOrder) {
  testing::TempDir dir;
  std::string path = dir.File("out.jsonl");
  auto batch = MixedBatch(30000);  // Several formatting tasks.
  auto writer = JsonLinesWriter::Open(path, batch->schema());
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(*batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  std::string text = testing::ReadFile(path);
  size_t line_start = 0;
  for (int i = 0; i < 30000; ++i) {
    size_t line_end = text.find('\n', line_start);
    ASSERT_NE(line_end, std::string::npos) << i;
    std::string prefix = "{\"id\":" + std::to_string(i) + ",";
    ASSERT_EQ(text.compare(line_start, prefix.size(), prefix), 0) << text.substr(line_start, 40);
    line_start = line_end + 1;
  }
  EXPECT_EQ(line_start, text.size());
  EXPECT_NE(text.find("{\"id\":3,\"name\":null,\"score\":1.5}\n"), std::string::npos);
  EXPECT_NE(text.find("{\"id\":4,\"name\":\"plain\",\"score\":null}\n"), std::string::npos);
}

TEST(JsonLinesWriterTest, UnclosedWriterLeavesNoFile) {
  testing::TempDir dir;
  std::string path = dir.File("out.jsonl");
  {
    auto batch = MixedBatch(3);
    auto writer = JsonLinesWriter::Open(path, batch->schema());
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write(*batch).ok());
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace kiln
