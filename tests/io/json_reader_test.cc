#include "kiln/io/json_reader.h"

#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace kiln {
namespace {

TEST(JsonLinesReaderTest, ManyChunksComeBackInOrder) {
  testing::TempDir dir;
  std::string path = dir.File("rows.jsonl");
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    text += "{\"id\": " + std::to_string(i) + ", \"name\": \"n" + std::to_string(i) + "\", \"hist\": [" +
            std::to_string(i) + ", " + std::to_string(i * 2) + "]}\n";
    if (i % 1000 == 0) text += "\n";  // Blank lines are skipped.
  }
  testing::WriteFile(path, text);
  JsonLinesOptions options;
  options.batch_rows = 37;
  options.infer_rows = 10;
  auto reader = JsonLinesReader::Open(path, options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema()->ToString(), "id: int64, name: string, hist: list<int64>");
  auto table = ReadAll(reader->get());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ(table->num_rows(), 5000);
  int64_t expected = 0;
  for (const auto& batch : table->batches()) {
    EXPECT_LE(batch->num_rows(), 37);
    for (int64_t row = 0; row < batch->num_rows(); ++row, ++expected) {
      ASSERT_EQ(batch->column(0).Value<int64_t>(row), expected);
      ASSERT_EQ(batch->column(1).GetString(row), "n" + std::to_string(expected));
      const Column& hist = batch->column(2);
      ASSERT_EQ(hist.child().Value<int64_t>(hist.ListBegin(row) + 1), expected * 2);
    }
  }
  EXPECT_EQ((*reader)->report().rows_read, 5000);
}

TEST(JsonLinesReaderTest, ErrorNamesTheLineInALaterChunk) {
  testing::TempDir dir;
  std::string path = dir.File("bad.jsonl");
  std::string text;
  for (int i = 0; i < 100; ++i) text += i == 73 ? "{\"id\": \"seventy-three\"}\n" : "{\"id\": " + std::to_string(i) + "}\n";
  testing::WriteFile(path, text);
  JsonLinesOptions options;
  options.batch_rows = 10;
  options.infer_rows = 5;
  auto reader = JsonLinesReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  auto table = ReadAll(reader->get());
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), path + ":74: key 'id': expected int64, found string \"seventy-three\"");

  options.on_error = OnError::kSkip;
  auto skipping = JsonLinesReader::Open(path, options);
  ASSERT_TRUE(skipping.ok());
  auto kept = ReadAll(skipping->get());
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->num_rows(), 99);
  EXPECT_EQ((*skipping)->report().rows_skipped, 1);
  ASSERT_EQ((*skipping)->report().first_errors.size(), 1u);
  EXPECT_EQ((*skipping)->report().first_errors[0].rfind(path + ":74:", 0), 0u);
}

TEST(JsonLinesReaderTest, GivenSchemaAndMissingOrEmptyFiles) {
  testing::TempDir dir;
  std::string path = dir.File("x.jsonl");
  testing::WriteFile(path, "{\"a\": 1.5}\n{\"a\": null}");  // No final newline.
  JsonLinesOptions options;
  options.schema = Schema({{"a", DataType::Float32()}});
  auto reader = JsonLinesReader::Open(path, options);
  ASSERT_TRUE(reader.ok());
  auto table = ReadAll(reader->get());
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->num_rows(), 2);
  EXPECT_EQ(table->batches()[0]->column(0).Value<float>(0), 1.5f);
  EXPECT_TRUE(table->batches()[0]->column(0).IsNull(1));

  auto missing = JsonLinesReader::Open(dir.File("nope.jsonl"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("nope.jsonl"), std::string::npos);

  testing::WriteFile(dir.File("empty.jsonl"), "");
  auto empty = JsonLinesReader::Open(dir.File("empty.jsonl"));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
  auto empty_with_schema = JsonLinesReader::Open(dir.File("empty.jsonl"), options);
  ASSERT_TRUE(empty_with_schema.ok());
  auto nothing = ReadAll(empty_with_schema->get());
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->num_rows(), 0);
}

}  // namespace
}  // namespace kiln
