#include "kiln/io/row_chunker.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kiln/core/thread_pool.h"
#include "kiln/io/chunk_pipeline.h"
#include "testing/temp_dir.h"

namespace kiln {
namespace {

struct Piece {
  std::string text;
  int64_t index;
  int64_t first_line;
};

std::vector<Piece> ChunkAll(const std::string& path, int64_t start, RowChunkerOptions options) {
  auto chunker = RowChunker::Open(path, start, options);
  EXPECT_TRUE(chunker.ok()) << chunker.status().ToString();
  std::vector<Piece> pieces;
  for (;;) {
    TextChunk chunk;
    bool end = false;
    Status status = (*chunker)->Next(&chunk, &end);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || end) break;
    const char* data = reinterpret_cast<const char*>(chunk.bytes->data());
    for (int i = 0; i < 64; ++i) EXPECT_EQ(data[chunk.bytes->size() + i], 0) << "padding byte " << i;
    pieces.push_back({std::string(data, chunk.bytes->size()), chunk.index, chunk.first_line});
  }
  return pieces;
}

TEST(RowChunkerTest, CutsExactlyEveryNRows) {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 10; ++i) text += "row" + std::to_string(i) + "\n";
  testing::WriteFile(dir.File("a.txt"), text);
  RowChunkerOptions options;
  options.rows_per_chunk = 3;
  options.read_block_bytes = 5;  // Smaller than a chunk: forces many reads.
  auto pieces = ChunkAll(dir.File("a.txt"), 0, options);
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(pieces[0].text, "row0\nrow1\nrow2\n");
  EXPECT_EQ(pieces[1].text, "row3\nrow4\nrow5\n");
  EXPECT_EQ(pieces[3].text, "row9\n");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(pieces[i].index, i);
    EXPECT_EQ(pieces[i].first_line, 1 + 3 * i);
  }
}

TEST(RowChunkerTest, LastRowWithoutNewlineAndBlankLinesNotCounted) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.txt"), "a\n\nb\r\n\r\nc\nd");
  RowChunkerOptions options;
  options.rows_per_chunk = 2;
  auto pieces = ChunkAll(dir.File("a.txt"), 0, options);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "a\n\nb\r\n");
  EXPECT_EQ(pieces[1].text, "\r\nc\nd");
  EXPECT_EQ(pieces[1].first_line, 4);
}

TEST(RowChunkerTest, QuotedNewlinesDoNotEndRows) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.csv"), "1,\"x\ny\"\n2,\"a\"\"\n\"\"b\"\n3,z\n4,\"\"\n");
  RowChunkerOptions options;
  options.rows_per_chunk = 1;
  options.quoted = true;
  options.read_block_bytes = 3;
  auto pieces = ChunkAll(dir.File("a.csv"), 0, options);
  ASSERT_EQ(pieces.size(), 4u);
  EXPECT_EQ(pieces[0].text, "1,\"x\ny\"\n");
  EXPECT_EQ(pieces[1].text, "2,\"a\"\"\n\"\"b\"\n");
  EXPECT_EQ(pieces[2].text, "3,z\n");
  EXPECT_EQ(pieces[3].text, "4,\"\"\n");
  EXPECT_EQ(pieces[0].first_line, 1);
  EXPECT_EQ(pieces[1].first_line, 3);
  EXPECT_EQ(pieces[2].first_line, 5);
  EXPECT_EQ(pieces[3].first_line, 6);
}

TEST(RowChunkerTest, WithoutQuotedQuotesAreOrdinaryBytes) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.tsv"), "\"a\nb\n");
  RowChunkerOptions options;
  options.rows_per_chunk = 1;
  auto pieces = ChunkAll(dir.File("a.tsv"), 0, options);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "\"a\n");
}

TEST(RowChunkerTest, StartOffsetSkipsHeaderAndKeepsLineNumbers) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.csv"), "h1,h2\n1,2\n3,4\n");
  RowChunkerOptions options;
  options.rows_per_chunk = 1;
  auto pieces = ChunkAll(dir.File("a.csv"), 6, options);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].text, "1,2\n");
  EXPECT_EQ(pieces[0].first_line, 2);
  EXPECT_EQ(pieces[1].first_line, 3);
}

TEST(RowChunkerTest, EndOffsetStopsEarly) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("a.txt"), "a\nb\nc\nd\n");
  RowChunkerOptions options;
  options.end_offset = 4;
  auto pieces = ChunkAll(dir.File("a.txt"), 2, options);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].text, "b\n");
}

TEST(RowChunkerTest, UnterminatedQuoteNamesItsLine) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("bad.csv"), "a,b\nc,d\ne,\"f\ng\n");
  RowChunkerOptions options;
  options.quoted = true;
  auto chunker = RowChunker::Open(dir.File("bad.csv"), 0, options);
  ASSERT_TRUE(chunker.ok());
  TextChunk chunk;
  bool end = false;
  Status status = (*chunker)->Next(&chunk, &end);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_NE(status.message().find("bad.csv:3:"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("unterminated quote"), std::string::npos) << status.message();
}

TEST(RowChunkerTest, EmptyFileEndsAtOnceAndMissingFileNamesPath) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("empty.txt"), "");
  auto pieces = ChunkAll(dir.File("empty.txt"), 0, {});
  EXPECT_TRUE(pieces.empty());
  auto missing = RowChunker::Open(dir.File("nope.txt"), 0, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kIOError);
  EXPECT_NE(missing.status().message().find("nope.txt"), std::string::npos);
}

TEST(RowChunkerTest, RowStartAtOrAfterSkipsToTheNextRow) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("t.txt"), "h\nab\ncd\n\nef");  // Rows start at 2, 5, 8 (blank), 9.
  auto file = InputFile::Open(dir.File("t.txt"));
  ASSERT_TRUE(file.ok());
  std::vector<int64_t> starts;
  for (int64_t offset = 0; offset <= 12; ++offset) starts.push_back(*RowStartAtOrAfter(**file, offset, 2));
  EXPECT_EQ(starts, (std::vector<int64_t>{2, 2, 2, 5, 5, 5, 8, 8, 8, 9, 11, 11, 11}));
}

TEST(RowChunkerTest, ConsecutiveRangesReadEveryRowOnceWithItsLine) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("t.txt"), "head\nrow2\nrow3 is longer\nrow4\nrow5");
  RowChunkerOptions options;
  options.rows_per_chunk = 1;
  for (int64_t cut = 0; cut <= 40; ++cut) {
    std::string joined;
    std::vector<int64_t> lines;
    for (ByteRange range : {ByteRange{0, cut}, ByteRange{cut, -1}}) {
      auto chunker = RowChunker::OpenRange(dir.File("t.txt"), 5, range, options);
      ASSERT_TRUE(chunker.ok()) << chunker.status().ToString();
      for (;;) {
        TextChunk chunk;
        bool end = false;
        ASSERT_TRUE((*chunker)->Next(&chunk, &end).ok());
        if (end) break;
        joined.append(reinterpret_cast<const char*>(chunk.bytes->data()), chunk.bytes->size());
        lines.push_back(chunk.first_line);
      }
    }
    EXPECT_EQ(joined, "row2\nrow3 is longer\nrow4\nrow5") << "cut at " << cut;
    EXPECT_EQ(lines, (std::vector<int64_t>{2, 3, 4, 5})) << "cut at " << cut;
  }
}

TEST(ChunkPipelineTest, ResultsComeBackInOrder) {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += std::to_string(i) + "\n";
  testing::WriteFile(dir.File("n.txt"), text);
  RowChunkerOptions options;
  options.rows_per_chunk = 7;
  auto chunker = RowChunker::Open(dir.File("n.txt"), 0, options);
  ASSERT_TRUE(chunker.ok());
  ThreadPool pool(4);
  ChunkPipeline<std::string> pipeline(
      std::move(*chunker),
      [](const TextChunk& chunk) -> Result<std::string> {
        return std::string(reinterpret_cast<const char*>(chunk.bytes->data()), chunk.bytes->size());
      },
      {&pool, 3});
  std::string joined;
  for (;;) {
    std::string piece;
    bool end = false;
    ASSERT_TRUE(pipeline.Next(&piece, &end).ok());
    if (end) break;
    joined += piece;
  }
  EXPECT_EQ(joined, text);
}

TEST(ChunkPipelineTest, FirstErrorInFileOrderAndEarlyStopDoesNotHang) {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; i < 100; ++i) text += std::to_string(i) + "\n";
  testing::WriteFile(dir.File("n.txt"), text);
  RowChunkerOptions options;
  options.rows_per_chunk = 1;
  ThreadPool pool(3);
  auto parse = [](const TextChunk& chunk) -> Result<int64_t> {
    if (chunk.index >= 5) return Status::Corruption("bad chunk " + std::to_string(chunk.index));
    return chunk.index;
  };
  {
    ChunkPipeline<int64_t> pipeline(RowChunker::Open(dir.File("n.txt"), 0, options).value(), parse, {&pool, 8});
    int64_t value = -1;
    bool end = false;
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(pipeline.Next(&value, &end).ok());
      EXPECT_EQ(value, i);
    }
    Status status = pipeline.Next(&value, &end);
    EXPECT_EQ(status.message(), "bad chunk 5");
    EXPECT_EQ(pipeline.Next(&value, &end).message(), "bad chunk 5");
  }
  {
    // Stop after one result; the destructor must wait or cancel, not hang.
    ChunkPipeline<int64_t> pipeline(RowChunker::Open(dir.File("n.txt"), 0, options).value(), parse, {&pool, 8});
    int64_t value = -1;
    bool end = false;
    ASSERT_TRUE(pipeline.Next(&value, &end).ok());
  }
}

TEST(ChunkPipelineTest, RunsFromInsideAPoolTask) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("n.txt"), "1\n2\n3\n");
  RowChunkerOptions options;
  options.rows_per_chunk = 1;
  ThreadPool pool(1);
  auto outer = pool.Submit([&] {
    // The only worker is busy running this task, so the caller must parse.
    ChunkPipeline<int64_t> pipeline(
        RowChunker::Open(dir.File("n.txt"), 0, options).value(),
        [](const TextChunk& chunk) -> Result<int64_t> { return chunk.first_line; }, {&pool, 2});
    int64_t sum = 0, value = 0;
    bool end = false;
    while (pipeline.Next(&value, &end).ok() && !end) sum += value;
    return sum;
  });
  EXPECT_EQ(outer.get(), 6);
}

}  // namespace
}  // namespace kiln
