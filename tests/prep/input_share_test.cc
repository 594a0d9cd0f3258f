// ShareOfInput and OpenInput with ranks: the ranks' shares, read one after
// the other, are exactly the single-process rows in order, for any number
// of ranks, one file or several, cut inside files or by whole files.
#include <gtest/gtest.h>

#include <filesystem>

#include "kiln/io/json_format.h"
#include "kiln/prep/input_source.h"
#include "testing/temp_dir.h"

namespace kiln::prep {
namespace {

using kiln::testing::TempDir;
using kiln::testing::WriteFile;

// Rows of varying length, some long enough to straddle many share boundaries.
std::string Rows(int first, int count, bool header) {
  std::string text = header ? "id,text\n" : "";
  for (int i = first; i < first + count; ++i) {
    text += std::to_string(i) + "," + std::string(static_cast<size_t>((i * 37) % 90), 'a' + i % 26) + "\n";
    if (i % 50 == 7) text += "\n";  // Blank lines are skipped wherever they fall.
  }
  return text;
}

// Every row of the share, as canonical JSON lines.
std::string ReadShare(InputSpec spec, int rank, int ranks) {
  spec.rank = rank;
  spec.ranks = ranks;
  auto reader = OpenInput(spec);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return "";
  std::string text;
  for (;;) {
    RecordBatchPtr batch;
    Status status = (*reader)->Next(&batch);
    EXPECT_TRUE(status.ok()) << status.ToString();
    if (!status.ok() || batch == nullptr) break;
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      AppendJsonRow(&text, *batch, row);
      text += "\n";
    }
  }
  return text;
}

InputSpec CsvSpec(const std::string& path, bool quoted) {
  InputSpec spec;
  spec.path = path;
  spec.read.csv.quoted = quoted;
  spec.read.csv.batch_rows = 17;  // Many batches per share.
  spec.read.csv.schema = Schema({{"id", DataType::Int64(), true}, {"text", DataType::String(), true}});
  return spec;
}

void ExpectSharesCoverTheInput(const InputSpec& spec, int expected_rows) {
  std::string whole = ReadShare(spec, 0, 1);
  ASSERT_EQ(std::count(whole.begin(), whole.end(), '\n'), expected_rows);
  for (int ranks : {2, 3, 5, 8, 64}) {
    std::string joined;
    for (int rank = 0; rank < ranks; ++rank) joined += ReadShare(spec, rank, ranks);
    EXPECT_EQ(joined, whole) << ranks << " ranks";
  }
}

TEST(InputShareTest, OneFileIsCutAtRowStarts) {
  TempDir dir;
  WriteFile(dir.File("one.csv"), Rows(0, 500, true));
  ExpectSharesCoverTheInput(CsvSpec(dir.File("one.csv"), false), 500);
}

TEST(InputShareTest, SeveralFilesAreCutAcrossFileBoundaries) {
  TempDir dir;
  WriteFile(dir.File("a.csv"), Rows(0, 120, true));
  WriteFile(dir.File("b.csv"), Rows(120, 3, true));
  WriteFile(dir.File("c.csv"), Rows(123, 200, true));
  ExpectSharesCoverTheInput(CsvSpec(dir.path(), false), 323);
}

TEST(InputShareTest, QuotedCsvGoesByWholeFiles) {
  TempDir dir;
  WriteFile(dir.File("a.csv"), "id,text\n1,\"two\nlines\"\n2,x\n");
  WriteFile(dir.File("b.csv"), "id,text\n3,\"more\nlines\"\n");
  WriteFile(dir.File("c.csv"), "id,text\n4,y\n");
  InputSpec spec = CsvSpec(dir.path(), true);
  ExpectSharesCoverTheInput(spec, 4);
  auto pieces = ShareOfInput({dir.File("a.csv"), dir.File("b.csv"), dir.File("c.csv")}, false, 1, 2);
  ASSERT_TRUE(pieces.ok());
  for (const FilePiece& piece : *pieces) EXPECT_TRUE(piece.range.whole()) << piece.path;
}

TEST(InputShareTest, JsonLinesAreCutInsideFiles) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 300; ++i) text += "{\"id\": " + std::to_string(i) + ", \"s\": \"" + std::string(i % 40, 'q') + "\"}\n";
  WriteFile(dir.File("rows.jsonl"), text);
  InputSpec spec;
  spec.path = dir.File("rows.jsonl");
  spec.read.json.batch_rows = 11;
  ExpectSharesCoverTheInput(spec, 300);
}

TEST(InputShareTest, SharesSplitTheBytesEvenly) {
  TempDir dir;
  WriteFile(dir.File("a.tsv"), std::string(100, 'x'));
  WriteFile(dir.File("b.tsv"), std::string(300, 'y'));
  std::vector<std::string> files = {dir.File("a.tsv"), dir.File("b.tsv")};
  auto first = ShareOfInput(files, true, 0, 2);
  auto second = ShareOfInput(files, true, 1, 2);
  ASSERT_TRUE(first.ok() && second.ok());
  // Bytes [0, 200): all of a, b's first 100; bytes [200, 400): the rest of b.
  ASSERT_EQ(first->size(), 2u);
  EXPECT_TRUE((*first)[0].range.whole());
  EXPECT_EQ((*first)[1].range.begin, 0);
  EXPECT_EQ((*first)[1].range.end, 100);
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].path, files[1]);
  EXPECT_EQ((*second)[0].range.begin, 100);
  EXPECT_EQ((*second)[0].range.end, -1);
  // By whole files, b starts in rank 0's bytes... no: b starts at byte 100, in rank 0's half.
  auto whole_first = ShareOfInput(files, false, 0, 2);
  auto whole_second = ShareOfInput(files, false, 1, 2);
  ASSERT_TRUE(whole_first.ok() && whole_second.ok());
  EXPECT_EQ(whole_first->size(), 2u);
  EXPECT_TRUE(whole_second->empty());
}

TEST(InputShareTest, ARankWithNoRowsStillHasTheSchema) {
  TempDir dir;
  WriteFile(dir.File("tiny.csv"), "id,text\n1,x\n");
  InputSpec spec = CsvSpec(dir.File("tiny.csv"), false);
  spec.rank = 7;
  spec.ranks = 8;
  auto reader = OpenInput(spec);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema()->num_fields(), 2);
  RecordBatchPtr batch;
  ASSERT_TRUE((*reader)->Next(&batch).ok());
  EXPECT_EQ(batch, nullptr);
}

}  // namespace
}  // namespace kiln::prep
