// ParquetWriter as a file: atomic publication, batching into row groups,
// the footer's fields and offsets, and the errors it reports.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/core/file.h"
#include "kiln/parquet/file_writer.h"
#include "kiln/parquet/metadata.h"
#include "testing/temp_dir.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;

SchemaPtr TwoColumnSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"id", DataType::Int64(), false},
                                                     {"name", DataType::String(), true}});
}

RecordBatchPtr MakeBatch(const SchemaPtr& schema, int64_t first, int64_t rows) {
  ColumnBuilder ids(DataType::Int64()), names(DataType::String());
  for (int64_t row = first; row < first + rows; ++row) {
    ids.Append(row);
    names.AppendString("name " + std::to_string(row));
  }
  return std::make_shared<RecordBatch>(schema, std::vector{ids.Finish(), names.Finish()}, rows);
}

// Files in `dir`, by name.
std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  return names;
}

format::FileMetaData ReadFooter(const std::string& path, std::string* bytes_out = nullptr) {
  auto bytes = ReadFileToString(path);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  format::FileMetaData metadata;
  if (!bytes.ok()) return metadata;
  const auto* data = reinterpret_cast<const uint8_t*>(bytes->data());
  uint32_t footer = 0;
  EXPECT_TRUE(ParseFooterTail(data + bytes->size() - kFooterTailSize, bytes->size(), &footer).ok());
  EXPECT_TRUE(ParseFileMetaData(data + bytes->size() - kFooterTailSize - footer, footer, &metadata).ok());
  if (bytes_out != nullptr) *bytes_out = *bytes;
  return metadata;
}

TEST(ParquetWriterFile, NothingAppearsUnderTheFinalNameBeforeClose) {
  testing::TempDir dir;
  const std::string path = dir.File("out.parquet");
  const SchemaPtr schema = TwoColumnSchema();
  ParquetWriteOptions options;
  options.row_group_rows = 10;  // Row groups are written before Close().
  auto writer = ParquetWriter::Open(path, schema, options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(*MakeBatch(schema, 0, 25)).ok());
  EXPECT_FALSE(fs::exists(path));
  ASSERT_EQ(Listing(dir.path()).size(), 1u);  // The temporary file.
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_TRUE(fs::exists(path));
  EXPECT_EQ(Listing(dir.path()), std::vector<std::string>{"out.parquet"});
  EXPECT_EQ(ReadFooter(path).num_rows, 25);
}

TEST(ParquetWriterFile, AnAbandonedWriterLeavesNothing) {
  testing::TempDir dir;
  const std::string path = dir.File("out.parquet");
  const SchemaPtr schema = TwoColumnSchema();
  {
    ParquetWriteOptions options;
    options.row_group_rows = 10;
    auto writer = ParquetWriter::Open(path, schema, options);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write(*MakeBatch(schema, 0, 25)).ok());
  }
  EXPECT_TRUE(Listing(dir.path()).empty());
}

TEST(ParquetWriterFile, AFailedWriteLeavesTheOldFileAlone) {
  testing::TempDir dir;
  const std::string path = dir.File("out.parquet");
  testing::WriteFile(path, "old contents");
  const SchemaPtr schema = TwoColumnSchema();
  auto writer = ParquetWriter::Open(path, schema);
  ASSERT_TRUE(writer.ok());
  ColumnBuilder ids(DataType::Int64()), names(DataType::String());
  ids.AppendNull();  // "id" is not nullable.
  names.AppendString("x");
  RecordBatch bad(schema, {ids.Finish(), names.Finish()}, 1);
  Status status = (*writer)->Write(bad);
  EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(status.message().find("'id'"), std::string::npos) << status.ToString();
  writer->reset();
  EXPECT_EQ(testing::ReadFile(path), "old contents");
  EXPECT_EQ(Listing(dir.path()).size(), 1u);
}

TEST(ParquetWriterFile, BatchesAreCutIntoRowGroupsOfTheConfiguredSize) {
  testing::TempDir dir;
  const std::string path = dir.File("out.parquet");
  const SchemaPtr schema = TwoColumnSchema();
  ParquetWriteOptions options;
  options.row_group_rows = 100;
  auto writer = ParquetWriter::Open(path, schema, options);
  ASSERT_TRUE(writer.ok());
  int64_t next = 0;
  for (int64_t rows : {30, 90, 0, 250, 1, 29}) {
    ASSERT_TRUE((*writer)->Write(*MakeBatch(schema, next, rows)).ok());
    next += rows;
  }
  EXPECT_EQ((*writer)->rows(), 400);
  ASSERT_TRUE((*writer)->Close().ok());
  std::string bytes;
  const format::FileMetaData metadata = ReadFooter(path, &bytes);
  EXPECT_EQ(metadata.num_rows, 400);
  ASSERT_EQ(metadata.row_groups.size(), 4u);
  int64_t expected_offset = 4;  // After the leading magic.
  for (size_t g = 0; g < metadata.row_groups.size(); ++g) {
    const format::RowGroup& group = metadata.row_groups[g];
    EXPECT_EQ(group.num_rows, 100);
    EXPECT_EQ(group.ordinal, static_cast<int16_t>(g));
    EXPECT_EQ(group.file_offset, expected_offset);
    int64_t compressed = 0;
    for (const format::ColumnChunk& column : group.columns) {
      const format::ColumnMetaData& meta = column.meta_data;
      const int64_t start = meta.__isset.dictionary_page_offset ? meta.dictionary_page_offset : meta.data_page_offset;
      EXPECT_EQ(start, expected_offset);  // Chunks follow each other without gaps.
      EXPECT_EQ(column.file_offset, start);
      EXPECT_EQ(meta.num_values, 100);
      expected_offset += meta.total_compressed_size;
      compressed += meta.total_compressed_size;
    }
    EXPECT_EQ(group.total_compressed_size, compressed);
  }
  // The footer follows the last chunk.
  uint32_t footer = 0;
  ASSERT_TRUE(ParseFooterTail(reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size() - kFooterTailSize,
                              bytes.size(), &footer).ok());
  EXPECT_EQ(expected_offset + footer + kFooterTailSize, bytes.size());
}

TEST(ParquetWriterFile, FooterCarriesTheKilnSchemaAndCreatedBy) {
  testing::TempDir dir;
  const std::string path = dir.File("out.parquet");
  const SchemaPtr schema = TwoColumnSchema();
  ParquetWriteOptions options;
  options.created_by = "kiln version 9.9 (test)";
  ASSERT_TRUE(WriteParquet(path, Table(schema, {MakeBatch(schema, 0, 5)}), options).ok());
  const format::FileMetaData metadata = ReadFooter(path);
  EXPECT_EQ(metadata.created_by, "kiln version 9.9 (test)");
  ASSERT_EQ(metadata.key_value_metadata.size(), 1u);
  EXPECT_EQ(metadata.key_value_metadata[0].key, kKilnSchemaKey);
  EXPECT_EQ(metadata.key_value_metadata[0].value, schema->ToString());
  EXPECT_EQ(metadata.row_groups[0].columns[1].meta_data.path_in_schema, std::vector<std::string>{"name"});
}

TEST(ParquetWriterFile, RejectsBadOptionsAndBatches) {
  testing::TempDir dir;
  const SchemaPtr schema = TwoColumnSchema();
  auto open = [&](ParquetWriteOptions options) { return ParquetWriter::Open(dir.File("x.parquet"), schema, options); };
  ParquetWriteOptions options;
  options.row_group_rows = 0;
  EXPECT_EQ(open(options).status().code(), Status::Code::kInvalidArgument);
  options = {};
  options.page_bytes = 0;
  EXPECT_EQ(open(options).status().code(), Status::Code::kInvalidArgument);
  options = {};
  options.dictionary_limit_bytes = -1;
  EXPECT_EQ(open(options).status().code(), Status::Code::kInvalidArgument);
  for (auto codec : {format::CompressionCodec::LZ4, format::CompressionCodec::LZO,
                     static_cast<format::CompressionCodec::type>(99)}) {
    options = {};
    options.codec = codec;
    EXPECT_EQ(open(options).status().code(), Status::Code::kInvalidArgument) << CodecName(codec);
  }
  EXPECT_TRUE(Listing(dir.path()).empty());

  auto writer = open({});
  ASSERT_TRUE(writer.ok());
  const SchemaPtr other = std::make_shared<Schema>(std::vector<Field>{{"id", DataType::Int32(), true}});
  ColumnBuilder ids(DataType::Int32());
  ids.Append<int32_t>(1);
  RecordBatch wrong(other, {ids.Finish()}, 1);
  EXPECT_EQ((*writer)->Write(wrong).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE((*writer)->Write(*MakeBatch(schema, 0, 3)).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  EXPECT_FALSE((*writer)->Write(*MakeBatch(schema, 0, 3)).ok());
  EXPECT_FALSE((*writer)->Close().ok());
}

TEST(ParquetWriterFile, RejectsDecimalsWithMoreDigitsThanTheirPrecision) {
  for (int precision : {9, 18, 20}) {
    const DataType type = DataType::Decimal(precision, 2);
    auto schema = std::make_shared<Schema>(std::vector<Field>{{"d", type, true}});
    __int128 limit = 1;
    for (int i = 0; i < precision; ++i) limit *= 10;
    for (__int128 value : {limit, -limit}) {
      ColumnBuilder builder(type);
      builder.AppendNull();
      builder.Append(limit - 1);
      builder.Append(value);
      testing::TempDir dir;
      Status status = WriteParquet(dir.File("d.parquet"), Table(schema, {*RecordBatch::Make(schema, {builder.Finish()})}));
      EXPECT_EQ(status.code(), Status::Code::kInvalidArgument) << precision;
      EXPECT_NE(status.message().find("column 'd'"), std::string::npos) << status.ToString();
      EXPECT_TRUE(Listing(dir.path()).empty());
    }
  }
}

TEST(ParquetWriterFile, OpenFailsWhereNoFileCanBeCreated) {
  const SchemaPtr schema = TwoColumnSchema();
  auto writer = ParquetWriter::Open("/nonexistent-kiln-dir/x.parquet", schema);
  EXPECT_EQ(writer.status().code(), Status::Code::kIOError);
  auto nested = std::make_shared<Schema>(
      std::vector<Field>{{"ll", DataType::List(DataType::List(DataType::Int32())), true}});
  testing::TempDir dir;
  EXPECT_EQ(ParquetWriter::Open(dir.File("x.parquet"), nested).status().code(), Status::Code::kNotSupported);
  EXPECT_TRUE(Listing(dir.path()).empty());
}

}  // namespace
}  // namespace kiln::parquet
