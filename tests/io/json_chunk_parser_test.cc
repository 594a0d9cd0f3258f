#include "kiln/io/json_chunk_parser.h"

#include <gtest/gtest.h>

#include "kiln/io/json_schema_inference.h"

namespace kiln {
namespace {

std::shared_ptr<Buffer> Text(const std::string& text) { return Buffer::CopyOf(text.data(), text.size()); }

SchemaPtr Infer(const std::string& text, int64_t rows = 1000) {
  auto schema = InferJsonLinesSchema(*Text(text), 1, rows, "t.jsonl");
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return std::make_shared<const Schema>(schema.ok() ? *schema : Schema());
}

TEST(JsonSchemaInferenceTest, MergesTypesPerKeyInFirstSeenOrder) {
  SchemaPtr schema = Infer(
      "{\"a\": 1, \"b\": true, \"c\": \"x\", \"d\": [1, 2]}\n"
      "{\"a\": 2.5, \"e\": null, \"d\": [], \"f\": {\"k\": 1}}\n"
      "{\"g\": 1, \"h\": [\"s\"], \"b\": false}\n"
      "{\"g\": \"mixed\", \"h\": [1.5]}\n");
  EXPECT_EQ(schema->ToString(),
            "a: float64, b: bool, c: string, d: list<int64>, e: string, f: string, g: string, h: list<string>");
}

TEST(JsonSchemaInferenceTest, OnlyTheSampleCountsAndBadLinesAreNamed) {
  SchemaPtr schema = Infer("{\"a\": 1}\n\n{\"a\": \"late string\"}\n", 1);
  EXPECT_EQ(schema->ToString(), "a: int64");
  auto broken = InferJsonLinesSchema(*Text("{\"a\": 1}\n{\"a\": \n"), 1, 100, "t.jsonl");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("t.jsonl:2"), std::string::npos) << broken.status().message();
  auto not_object = InferJsonLinesSchema(*Text("[1, 2]\n"), 5, 100, "t.jsonl");
  ASSERT_FALSE(not_object.ok());
  EXPECT_NE(not_object.status().message().find("t.jsonl:5: expected a JSON object"), std::string::npos);
}

TEST(JsonChunkParserTest, FillsEveryTypeAndMissingKeysAsNull) {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{
      {"id", DataType::Int32()},
      {"score", DataType::Float32()},
      {"name", DataType::String()},
      {"day", DataType::Date32()},
      {"ts", DataType::Timestamp()},
      {"price", DataType::Decimal(9, 2)},
      {"tags", DataType::List(DataType::String())},
      {"ok", DataType::Bool()},
      {"big", DataType::UInt64()}});
  auto result = ParseJsonLinesChunk(
      *Text("{\"id\": 7, \"score\": 2, \"name\": \"é\\n\", \"day\": \"2011-03-11\", \"ts\": \"2021-01-01 00:00:01\","
            " \"price\": \"1207.5\", \"tags\": [\"a\", null], \"ok\": true, \"big\": 18446744073709551615}\n"
            "  \n"
            "{\"tags\": [], \"name\": 12, \"ts\": 5}\n"),
      1, schema, JsonLinesOptions{}, "t.jsonl");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const RecordBatch& batch = *result->batch;
  ASSERT_EQ(batch.num_rows(), 2);
  EXPECT_EQ(batch.column(0).Value<int32_t>(0), 7);
  EXPECT_EQ(batch.column(1).Value<float>(0), 2.0f);
  EXPECT_EQ(batch.column(2).GetString(0), "é\n");
  EXPECT_EQ(batch.column(3).Value<int32_t>(0), 15044);
  EXPECT_EQ(batch.column(4).Value<int64_t>(0), 1609459201000000);
  EXPECT_TRUE(batch.column(5).Value<__int128>(0) == 120750);
  EXPECT_EQ(batch.column(6).ListEnd(0) - batch.column(6).ListBegin(0), 2);
  EXPECT_TRUE(batch.column(6).child().IsNull(1));
  EXPECT_EQ(batch.column(7).Value<uint8_t>(0), 1);
  EXPECT_EQ(batch.column(8).Value<uint64_t>(0), 18446744073709551615ull);
  // Second row: missing keys are null, a number into a string column keeps its text.
  EXPECT_TRUE(batch.column(0).IsNull(1));
  EXPECT_EQ(batch.column(2).GetString(1), "12");
  EXPECT_EQ(batch.column(4).Value<int64_t>(1), 5);
  EXPECT_TRUE(batch.column(6).IsValid(1));
  EXPECT_EQ(batch.column(6).ListEnd(1), batch.column(6).ListBegin(1));
  EXPECT_TRUE(batch.column(8).IsNull(1));
}

TEST(JsonChunkParserTest, ErrorsNameFileLineAndKey) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{{"id", DataType::Int32()}, {"tags", DataType::List(DataType::Int64())}});
  auto cases = std::vector<std::pair<std::string, std::string>>{
      {"{\"id\": \"x\"}", "t.jsonl:11: key 'id': expected int32, found string \"x\""},
      {"{\"id\": 3000000000}", "t.jsonl:11: key 'id': expected int32, found integer 3000000000"},
      {"{\"tags\": [1, \"b\"]}", "t.jsonl:11: key 'tags': in list: expected int64, found string \"b\""},
      {"{\"other\": 1}", "t.jsonl:11: key 'other' is not in the schema"},
      {"{\"id\": 1, \"id\": 2}", "t.jsonl:11: key 'id' appears twice"},
      {"{\"id\": 1", "t.jsonl:11: "},
      {"17", "t.jsonl:11: expected a JSON object"},
  };
  for (const auto& [line, message] : cases) {
    auto result = ParseJsonLinesChunk(*Text("{\"id\": 1}\n" + line + "\n"), 10, schema, JsonLinesOptions{}, "t.jsonl");
    ASSERT_FALSE(result.ok()) << line;
    EXPECT_EQ(result.status().code(), Status::Code::kCorruption);
    EXPECT_EQ(result.status().message().rfind(message, 0), 0u) << result.status().message();
  }
}

TEST(JsonChunkParserTest, SkipPolicyDropsWholeRowsAndCounts) {
  auto schema = std::make_shared<const Schema>(
      std::vector<Field>{{"id", DataType::Int32()}, {"tags", DataType::List(DataType::Int64())}});
  JsonLinesOptions options;
  options.on_error = OnError::kSkip;
  options.max_skipped_errors_kept = 1;
  auto result = ParseJsonLinesChunk(*Text("{\"id\": 1, \"tags\": [1]}\n"
                                          "{\"tags\": [2, 3], \"id\": \"bad\"}\n"
                                          "not json\n"
                                          "{\"id\": 4, \"tags\": [4]}\n"),
                                    1, schema, options, "t.jsonl");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->rows_skipped, 2);
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0].rfind("t.jsonl:2: key 'id'", 0), 0u) << result->errors[0];
  const RecordBatch& batch = *result->batch;
  ASSERT_EQ(batch.num_rows(), 2);
  EXPECT_EQ(batch.column(0).Value<int32_t>(1), 4);
  const Column& tags = batch.column(1);
  EXPECT_EQ(tags.child().length(), 2);  // The rejected row's [2, 3] was rolled back.
  EXPECT_EQ(tags.child().Value<int64_t>(tags.ListBegin(1)), 4);
}

TEST(JsonChunkParserTest, IgnoreUnknownKeysWhenAsked) {
  auto schema = std::make_shared<const Schema>(std::vector<Field>{{"id", DataType::Int64()}});
  JsonLinesOptions options;
  options.ignore_unknown_keys = true;
  auto result = ParseJsonLinesChunk(*Text("{\"x\": 1, \"id\": 2}\n"), 1, schema, options, "t.jsonl");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->batch->column(0).Value<int64_t>(0), 2);
}

}  // namespace
}  // namespace kiln
