// Bad input: every malformed file fails with a Status that names the file,
// the row group, the column and the page where there is one, and nothing
// (truncation, flipped bytes, hostile sizes) crashes, hangs or allocates what
// the file merely claims.
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_file_builder.h"
#include "testing/temp_dir.h"
#include "testing/shared_data.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;
using format::CompressionCodec;
using format::Encoding;
using format::FieldRepetitionType;
using format::Type;
using namespace kiln::parquet::testing;

// A valid two-page file: optional int32 "price" (with nulls) and required int64 "id".
ParquetFileBuilder TwoColumns(const std::string& price_page, Encoding::type encoding = Encoding::PLAIN,
                              int32_t price_values = 3) {
  ParquetFileBuilder builder({LeafElement("price", Type::INT32, FieldRepetitionType::OPTIONAL),
                              LeafElement("id", Type::INT64, FieldRepetitionType::REQUIRED)});
  builder.StartRowGroup(3);
  builder.StartChunk(Type::INT32, "price", CompressionCodec::SNAPPY);
  builder.AddDataPageV1(price_values, encoding, price_page);
  builder.EndChunk();
  builder.StartChunk(Type::INT64, "id");
  builder.AddDataPageV1(3, Encoding::PLAIN, Plain<int64_t>({1, 2, 3}));
  builder.EndChunk();
  return builder;
}

std::string GoodPricePage() { return LevelsV1({1, 0, 1}, 1) + Plain<int32_t>({7, 9}); }

Status ReadStatus(const std::string& bytes, const std::string& name = "data.parquet") {
  return ReadBytes(bytes, {}, name).status();
}

void ExpectError(const Status& status, Status::Code code, const std::vector<std::string>& parts) {
  EXPECT_EQ(status.code(), code) << status.ToString();
  for (const std::string& part : parts) {
    EXPECT_NE(status.message().find(part), std::string::npos) << "'" << part << "' not in: " << status.ToString();
  }
}

TEST(ReaderCorruptionTest, TheBuilderFileIsValid) {
  Result<Table> table = ReadBytes(TwoColumns(GoodPricePage()).Finish());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->num_rows(), 3);
}

TEST(ReaderCorruptionTest, MagicAndFooter) {
  const std::string good = TwoColumns(GoodPricePage()).Finish();
  ExpectError(ReadStatus("PAR1"), Status::Code::kCorruption, {"data.parquet", "too small"});
  ExpectError(ReadStatus("XXXX" + good.substr(4)), Status::Code::kCorruption, {"data.parquet", "PAR1"});
  ExpectError(ReadStatus(good.substr(0, good.size() - 1) + "X"), Status::Code::kCorruption, {"magic"});
  // Truncated: the footer length now points before the start of the file.
  ExpectError(ReadStatus("PAR1" + good.substr(good.size() - 12)), Status::Code::kCorruption, {"footer length"});
  std::string garbage_footer = good;
  for (size_t i = good.size() - 40; i < good.size() - 8; ++i) garbage_footer[i] = '\x7f';
  ExpectError(ReadStatus(garbage_footer), Status::Code::kCorruption, {"data.parquet"});
  std::string encrypted = good;
  encrypted.replace(encrypted.size() - 4, 4, "PARE");
  ExpectError(ReadStatus(encrypted), Status::Code::kNotSupported, {"encrypted"});
}

TEST(ReaderCorruptionTest, ErrorsNameFileRowGroupColumnAndPage) {
  // A dictionary index past the end of the dictionary.
  ParquetFileBuilder builder({LeafElement("price", Type::INT32, FieldRepetitionType::REQUIRED)});
  builder.StartRowGroup(2);
  builder.StartChunk(Type::INT32, "price");
  builder.AddDictionaryPage(Plain<int32_t>({5}), 1);
  builder.AddDataPageV1(1, Encoding::RLE_DICTIONARY, DictionaryIndices({0}, 1));
  builder.AddDataPageV1(1, Encoding::RLE_DICTIONARY, DictionaryIndices({1}, 1));
  builder.EndChunk();
  ExpectError(ReadStatus(builder.Finish()), Status::Code::kCorruption,
              {"data.parquet: row group 0, column 'price': page 2: ", "out of range"});
  // A corrupt RLE run in the definition levels.
  ExpectError(ReadStatus(TwoColumns(std::string("\x05\x00\x00\x00\xff\xff\xff\xff\xff", 9)).Finish()),
              Status::Code::kCorruption, {"row group 0, column 'price': page 0: definition levels"});
  // Values that are not there.
  ExpectError(ReadStatus(TwoColumns(LevelsV1({1, 1, 1}, 1) + Plain<int32_t>({7})).Finish()), Status::Code::kCorruption,
              {"column 'price': page 0"});
}

TEST(ReaderCorruptionTest, CorruptPageHeaderAndBadChunkRanges) {
  ParquetFileBuilder builder = TwoColumns(GoodPricePage());
  std::string bytes = builder.Finish();
  // The first page header starts right after the magic: scribble on it.
  std::string scribbled = bytes;
  for (size_t i = 4; i < 12; ++i) scribbled[i] = '\xff';
  ExpectError(ReadStatus(scribbled), Status::Code::kCorruption, {"row group 0, column 'price': page 0: "});
  ParquetFileBuilder outside = TwoColumns(GoodPricePage());
  outside.metadata().row_groups[0].columns[1].meta_data.data_page_offset = 1 << 30;
  ExpectError(ReadStatus(outside.Finish()), Status::Code::kCorruption, {"column 'id'", "outside the file"});
  ParquetFileBuilder negative = TwoColumns(GoodPricePage());
  negative.metadata().row_groups[0].columns[1].meta_data.total_compressed_size = -5;
  ExpectError(ReadStatus(negative.Finish()), Status::Code::kCorruption, {"column 'id'"});
}

TEST(ReaderCorruptionTest, FewerValuesThanRowsAndMismatchedChunks) {
  ParquetFileBuilder short_chunk = TwoColumns(GoodPricePage());
  short_chunk.metadata().row_groups[0].num_rows = 4;
  ExpectError(ReadStatus(short_chunk.Finish()), Status::Code::kCorruption, {"column 'price'", "3 values", "4 rows"});
  // The chunk claims more values than its pages hold.
  ParquetFileBuilder missing_page = TwoColumns(GoodPricePage());
  missing_page.metadata().row_groups[0].num_rows = 5;
  missing_page.metadata().row_groups[0].columns[0].meta_data.num_values = 5;
  ExpectError(ReadStatus(missing_page.Finish()), Status::Code::kCorruption, {"column 'price'", "ends after 3 of 5"});
  ParquetFileBuilder extra_leaf = TwoColumns(GoodPricePage());
  extra_leaf.metadata().row_groups[0].columns.pop_back();
  ExpectError(ReadStatus(extra_leaf.Finish()), Status::Code::kCorruption, {"row group 0", "column chunks"});
  ParquetFileBuilder wrong_type = TwoColumns(GoodPricePage());
  wrong_type.metadata().row_groups[0].columns[1].meta_data.type = Type::DOUBLE;
  ExpectError(ReadStatus(wrong_type.Finish()), Status::Code::kCorruption, {"column 'id'", "DOUBLE"});
}

TEST(ReaderCorruptionTest, UnsupportedEncodingsAndCodecsAreNamed) {
  ExpectError(ReadStatus(TwoColumns(GoodPricePage(), static_cast<Encoding::type>(42)).Finish()),
              Status::Code::kNotSupported, {"column 'price'", "encoding 42"});
  ExpectError(ReadStatus(TwoColumns(GoodPricePage(), Encoding::DELTA_LENGTH_BYTE_ARRAY).Finish()),
              Status::Code::kNotSupported, {"DELTA_LENGTH_BYTE_ARRAY", "INT32"});
  ParquetFileBuilder lzo = TwoColumns(GoodPricePage());
  lzo.metadata().row_groups[0].columns[0].meta_data.codec = CompressionCodec::LZO;
  ExpectError(ReadStatus(lzo.Finish()), Status::Code::kNotSupported, {"column 'price'", "LZO"});
}

TEST(ReaderCorruptionTest, HostileSizesFailWithoutAllocating) {
  // A dictionary page claiming two billion values in a few bytes.
  ParquetFileBuilder dictionary({LeafElement("v", Type::INT64, FieldRepetitionType::REQUIRED)});
  dictionary.StartRowGroup(1);
  dictionary.StartChunk(Type::INT64, "v");
  dictionary.AddDictionaryPage(Plain<int64_t>({1}), INT32_MAX);
  dictionary.AddDataPageV1(1, Encoding::RLE_DICTIONARY, DictionaryIndices({0}, 1));
  dictionary.EndChunk();
  ExpectError(ReadStatus(dictionary.Finish()), Status::Code::kCorruption, {"too short"});
  // A row group of 2^40 rows, and a chunk of 2^40 values.
  ParquetFileBuilder rows = TwoColumns(GoodPricePage());
  rows.metadata().row_groups[0].num_rows = int64_t{1} << 40;
  ExpectError(ReadStatus(rows.Finish()), Status::Code::kNotSupported, {"row group 0", "limit"});
  // A page that claims a gigantic uncompressed size.
  ParquetReadOptions options;
  options.limits.max_page_bytes = 1 << 20;
  ParquetFileBuilder page({LeafElement("s", Type::BYTE_ARRAY, FieldRepetitionType::REQUIRED)});
  page.StartRowGroup(1);
  page.StartChunk(Type::BYTE_ARRAY, "s", CompressionCodec::ZSTD);
  page.AddDataPageV1(1, Encoding::PLAIN, PlainStrings({std::string(2 << 20, 'x')}));
  page.EndChunk();
  ExpectError(ReadBytes(page.Finish(), options).status(), Status::Code::kNotSupported, {"limit"});
  // A dictionary gather that would expand a tiny page past the limit.
  ParquetFileBuilder gather({LeafElement("s", Type::BYTE_ARRAY, FieldRepetitionType::REQUIRED)});
  gather.StartRowGroup(4096);
  gather.StartChunk(Type::BYTE_ARRAY, "s", CompressionCodec::ZSTD);
  gather.AddDictionaryPage(PlainStrings({std::string(4096, 'y')}), 1);
  gather.AddDataPageV1(4096, Encoding::RLE_DICTIONARY, DictionaryIndices(std::vector<uint32_t>(4096, 0), 1));
  gather.EndChunk();
  ExpectError(ReadBytes(gather.Finish(), options).status(), Status::Code::kCorruption, {"expands"});
}

// Every prefix and many random mutations of real files read to an error or
// to a table, never to a crash (the sanitizer build checks the memory).
TEST(ReaderCorruptionTest, TruncatedAndMutatedFixturesNeverCrash) {
  std::vector<std::string> files = {TwoColumns(GoodPricePage()).Finish()};
  for (const char* name : {"duckdb_lists_snappy.parquet", "polars_lists_zstd.parquet", "duckdb_zstd_v2.parquet"}) {
    const std::string path = kiln::testing::SharedPath(std::string("fixtures/parquet/") + name);
    if (!path.empty()) files.push_back(kiln::testing::ReadFile(path));
  }
  std::mt19937_64 random(42);
  int errors = 0;
  for (const std::string& file : files) {
    for (size_t cut = 0; cut < file.size(); cut += 1 + file.size() / 97)
      errors += !ReadStatus(file.substr(0, cut)).ok();
    for (int round = 0; round < 150; ++round) {
      std::string mutated = file;
      const int flips = 1 + static_cast<int>(random() % 8);
      for (int i = 0; i < flips; ++i) mutated[random() % mutated.size()] = static_cast<char>(random());
      errors += !ReadStatus(mutated).ok();
    }
  }
  EXPECT_GT(errors, 0);
}

}  // namespace
}  // namespace kiln::parquet
