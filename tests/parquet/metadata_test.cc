#include "kiln/parquet/metadata.h"

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "parquet_test_util.h"

namespace kiln::parquet {
namespace {

using testing::ExactBytes;
using testing::RandomBytes;

format::ColumnChunk MakeColumnChunk(const std::string& name, format::Type::type type, int64_t offset) {
  format::ColumnMetaData meta;
  meta.type = type;
  meta.encodings = {format::Encoding::PLAIN, format::Encoding::RLE, format::Encoding::RLE_DICTIONARY};
  meta.path_in_schema = {name};
  meta.codec = format::CompressionCodec::ZSTD;
  meta.num_values = 1000;
  meta.total_uncompressed_size = 8000;
  meta.total_compressed_size = 3000;
  meta.data_page_offset = offset + 100;
  meta.__set_dictionary_page_offset(offset);
  format::Statistics statistics;
  statistics.__set_null_count(3);
  statistics.__set_min_value(std::string("\x01\x00\x00\x00", 4));
  statistics.__set_max_value(std::string("\xff\x00\x00\x00", 4));
  statistics.__set_is_max_value_exact(true);
  meta.__set_statistics(statistics);
  format::PageEncodingStats page_stats;
  page_stats.page_type = format::PageType::DATA_PAGE;
  page_stats.encoding = format::Encoding::RLE_DICTIONARY;
  page_stats.count = 2;
  meta.__set_encoding_stats({page_stats});
  format::ColumnChunk chunk;
  chunk.file_offset = 0;
  chunk.__set_meta_data(meta);
  chunk.__set_offset_index_offset(90'000);
  chunk.__set_offset_index_length(40);
  return chunk;
}

format::FileMetaData MakeFileMetaData() {
  format::FileMetaData metadata;
  metadata.version = 1;
  format::SchemaElement root;
  root.name = "schema";
  root.__set_num_children(4);
  format::SchemaElement id;
  id.name = "id";
  id.__set_type(format::Type::INT64);
  id.__set_repetition_type(format::FieldRepetitionType::REQUIRED);
  format::IntType int_type;
  int_type.bitWidth = 64;
  int_type.isSigned = true;
  id.logicalType.__set_INTEGER(int_type);
  id.__isset.logicalType = true;
  format::SchemaElement name;
  name.name = "name";
  name.__set_type(format::Type::BYTE_ARRAY);
  name.__set_repetition_type(format::FieldRepetitionType::OPTIONAL);
  name.__set_converted_type(format::ConvertedType::UTF8);
  name.logicalType.__set_STRING(format::StringType());
  name.__isset.logicalType = true;
  format::SchemaElement price;
  price.name = "price";
  price.__set_type(format::Type::FIXED_LEN_BYTE_ARRAY);
  price.__set_type_length(16);
  price.__set_repetition_type(format::FieldRepetitionType::OPTIONAL);
  price.__set_converted_type(format::ConvertedType::DECIMAL);
  price.__set_precision(38);
  price.__set_scale(4);
  format::DecimalType decimal;
  decimal.precision = 38;
  decimal.scale = 4;
  price.logicalType.__set_DECIMAL(decimal);
  price.__isset.logicalType = true;
  format::SchemaElement seen;
  seen.name = "seen";
  seen.__set_type(format::Type::INT64);
  seen.__set_repetition_type(format::FieldRepetitionType::OPTIONAL);
  format::TimestampType timestamp;
  timestamp.isAdjustedToUTC = true;
  timestamp.unit.__set_MICROS(format::MicroSeconds());
  seen.logicalType.__set_TIMESTAMP(timestamp);
  seen.__isset.logicalType = true;
  metadata.schema = {root, id, name, price, seen};
  metadata.num_rows = 2000;
  for (int group = 0; group < 2; ++group) {
    format::RowGroup row_group;
    row_group.columns = {MakeColumnChunk("id", format::Type::INT64, 4 + group * 40'000),
                         MakeColumnChunk("name", format::Type::BYTE_ARRAY, 10'000 + group * 40'000),
                         MakeColumnChunk("price", format::Type::FIXED_LEN_BYTE_ARRAY, 20'000 + group * 40'000),
                         MakeColumnChunk("seen", format::Type::INT64, 30'000 + group * 40'000)};
    row_group.total_byte_size = 32'000;
    row_group.num_rows = 1000;
    row_group.__set_ordinal(static_cast<int16_t>(group));
    metadata.row_groups.push_back(row_group);
  }
  format::KeyValue key_value;
  key_value.key = "kiln.schema";
  key_value.__set_value("{\"v\": 1}");
  metadata.__set_key_value_metadata({key_value});
  metadata.__set_created_by("kiln version 0.1.0");
  format::ColumnOrder order;
  order.__set_TYPE_ORDER(format::TypeDefinedOrder());
  metadata.__set_column_orders({order, order, order, order});
  return metadata;
}

TEST(MetadataTest, FileMetaDataRoundTrip) {
  format::FileMetaData metadata = MakeFileMetaData();
  Buffer serialized;
  ASSERT_TRUE(SerializeFileMetaData(metadata, &serialized).ok());
  ExactBytes exact(serialized);
  format::FileMetaData parsed;
  Status status = ParseFileMetaData(exact.data(), exact.size(), &parsed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(parsed == metadata);
  EXPECT_EQ(parsed.schema[3].logicalType.DECIMAL.precision, 38);
  EXPECT_TRUE(parsed.schema[4].logicalType.__isset.TIMESTAMP);
  EXPECT_TRUE(parsed.schema[4].logicalType.TIMESTAMP.unit.__isset.MICROS);
  EXPECT_EQ(parsed.row_groups[1].columns[2].meta_data.statistics.null_count, 3);
  EXPECT_EQ(parsed.created_by, "kiln version 0.1.0");
}

// The compact protocol writes field ids as deltas in the field header's high
// nibble: these bytes pin the ids of KeyValue (1: key, 2: value).
TEST(MetadataTest, FieldIdsOnTheWire) {
  format::PageHeader header;
  header.type = format::PageType::DICTIONARY_PAGE;  // id 1, i32 zigzag 4
  header.uncompressed_page_size = 1;                // id 2
  header.compressed_page_size = 2;                  // id 3
  format::DictionaryPageHeader dictionary;
  dictionary.num_values = 5;
  dictionary.encoding = format::Encoding::PLAIN;
  header.__set_dictionary_page_header(dictionary);  // id 7: delta 4 from id 3
  Buffer serialized;
  ASSERT_TRUE(SerializePageHeader(header, &serialized).ok());
  const std::vector<uint8_t> expected = {
      0x15, 0x04,  // field 1, i32: 2 (zigzag of DICTIONARY_PAGE = 2)
      0x15, 0x02,  // field 2, i32: 1
      0x15, 0x04,  // field 3, i32: 2
      0x4C,        // field 7 (delta 4), struct
      0x15, 0x0A,  //   field 1, i32: 5
      0x15, 0x00,  //   field 2, i32: PLAIN
      0x00,        //   stop
      0x00,        // stop
  };
  EXPECT_EQ(std::vector<uint8_t>(serialized.data(), serialized.data() + serialized.size()), expected);
}

TEST(MetadataTest, PageHeaderRoundTripReportsHeaderSize) {
  format::PageHeader header;
  header.type = format::PageType::DATA_PAGE_V2;
  header.uncompressed_page_size = 4096;
  header.compressed_page_size = 1024;
  header.__set_crc(-12345);
  format::DataPageHeaderV2 v2;
  v2.num_values = 100;
  v2.num_nulls = 10;
  v2.num_rows = 100;
  v2.encoding = format::Encoding::DELTA_BINARY_PACKED;
  v2.definition_levels_byte_length = 20;
  v2.repetition_levels_byte_length = 0;
  v2.__set_is_compressed(false);
  header.__set_data_page_header_v2(v2);
  Buffer serialized;
  ASSERT_TRUE(SerializePageHeader(header, &serialized).ok());
  const size_t header_bytes = serialized.size();
  std::vector<uint8_t> body = RandomBytes(1024, 1);
  serialized.Append(body.data(), body.size());  // The page body follows the header.
  format::PageHeader parsed;
  size_t header_size = 0;
  ASSERT_TRUE(ParsePageHeader(serialized.data(), serialized.size(), &parsed, &header_size).ok());
  EXPECT_EQ(header_size, header_bytes);
  EXPECT_TRUE(parsed == header);
  EXPECT_FALSE(parsed.data_page_header_v2.is_compressed);
}

TEST(MetadataTest, ReusedPageHeaderForgetsOldFields) {
  format::PageHeader first;
  first.type = format::PageType::DATA_PAGE;
  first.__set_crc(7);
  format::DataPageHeader data;
  data.num_values = 3;
  first.__set_data_page_header(data);
  format::PageHeader second;
  second.type = format::PageType::DICTIONARY_PAGE;
  format::DictionaryPageHeader dictionary;
  dictionary.num_values = 2;
  second.__set_dictionary_page_header(dictionary);
  Buffer bytes1, bytes2;
  ASSERT_TRUE(SerializePageHeader(first, &bytes1).ok());
  ASSERT_TRUE(SerializePageHeader(second, &bytes2).ok());
  format::PageHeader parsed;
  size_t size = 0;
  ASSERT_TRUE(ParsePageHeader(bytes1.data(), bytes1.size(), &parsed, &size).ok());
  ASSERT_TRUE(ParsePageHeader(bytes2.data(), bytes2.size(), &parsed, &size).ok());
  EXPECT_FALSE(parsed.__isset.crc);
  EXPECT_FALSE(parsed.__isset.data_page_header);
}

TEST(MetadataTest, InconsistentPageHeadersAreCorruption) {
  auto parse = [](const format::PageHeader& header) {
    Buffer bytes;
    EXPECT_TRUE(SerializePageHeader(header, &bytes).ok());
    format::PageHeader parsed;
    size_t size = 0;
    return ParsePageHeader(bytes.data(), bytes.size(), &parsed, &size);
  };
  format::PageHeader header;
  header.type = format::PageType::DATA_PAGE;
  header.uncompressed_page_size = 10;
  header.compressed_page_size = 10;
  EXPECT_EQ(parse(header).code(), Status::Code::kCorruption);  // No data page header.
  format::DataPageHeader data;
  data.num_values = 5;
  header.__set_data_page_header(data);
  EXPECT_TRUE(parse(header).ok());
  header.compressed_page_size = -1;
  EXPECT_EQ(parse(header).code(), Status::Code::kCorruption);
  header.compressed_page_size = 10;
  header.data_page_header.num_values = -5;
  EXPECT_EQ(parse(header).code(), Status::Code::kCorruption);

  format::PageHeader v2_header;
  v2_header.type = format::PageType::DATA_PAGE_V2;
  v2_header.uncompressed_page_size = 10;
  v2_header.compressed_page_size = 10;
  format::DataPageHeaderV2 v2;
  v2.num_values = 4;
  v2.num_nulls = 5;  // More nulls than values.
  v2_header.__set_data_page_header_v2(v2);
  EXPECT_EQ(parse(v2_header).code(), Status::Code::kCorruption);
  v2_header.data_page_header_v2.num_nulls = 1;
  v2_header.data_page_header_v2.definition_levels_byte_length = 11;  // Longer than the page.
  EXPECT_EQ(parse(v2_header).code(), Status::Code::kCorruption);
}

TEST(MetadataTest, MissingRequiredFieldIsCorruption) {
  // A FileMetaData with only field 1 (version) set.
  const std::vector<uint8_t> bytes = {0x15, 0x02, 0x00};
  format::FileMetaData parsed;
  Status status = ParseFileMetaData(bytes.data(), bytes.size(), &parsed);
  EXPECT_EQ(status.code(), Status::Code::kCorruption);
  EXPECT_NE(status.message().find("file metadata"), std::string::npos) << status.message();
}

TEST(MetadataTest, TruncatedMetadataIsCorruption) {
  Buffer serialized;
  ASSERT_TRUE(SerializeFileMetaData(MakeFileMetaData(), &serialized).ok());
  for (size_t cut = 0; cut < serialized.size(); ++cut) {
    ExactBytes exact(serialized.data(), cut);
    format::FileMetaData parsed;
    ASSERT_EQ(ParseFileMetaData(exact.data(), exact.size(), &parsed).code(), Status::Code::kCorruption)
        << "cut " << cut;
  }
}

TEST(MetadataTest, GarbageIsCorruptionNeverACrash) {
  for (uint32_t seed = 0; seed < 2000; ++seed) {
    std::vector<uint8_t> garbage = RandomBytes(1 + seed % 300, seed);
    ExactBytes exact(garbage);
    format::FileMetaData metadata;
    EXPECT_FALSE(ParseFileMetaData(exact.data(), exact.size(), &metadata).ok()) << "seed " << seed;
    format::PageHeader header;
    size_t size = 0;
    (void)ParsePageHeader(exact.data(), exact.size(), &header, &size);  // May rarely parse.
  }
}

TEST(MetadataTest, HugeDeclaredSizesFailWithoutAllocating) {
  // FileMetaData field 2 (schema): a list of 2^31 - 1 structs declared in 7 bytes.
  const std::vector<uint8_t> huge_list = {0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0x07};
  format::FileMetaData metadata;
  EXPECT_EQ(ParseFileMetaData(huge_list.data(), huge_list.size(), &metadata).code(), Status::Code::kCorruption);
  // SchemaElement.name (field 4 of element 0) with a 2 GB length.
  const std::vector<uint8_t> huge_string = {0x15, 0x02, 0x19, 0x1C, 0x48, 0xFF, 0xFF, 0xFF, 0xFF, 0x07};
  EXPECT_EQ(ParseFileMetaData(huge_string.data(), huge_string.size(), &metadata).code(),
            Status::Code::kCorruption);
  // Structs nested far deeper than any real footer.
  std::vector<uint8_t> deep = {0x15, 0x02, 0x19, 0x1C};  // version, schema: 1 element
  for (int i = 0; i < 10'000; ++i) deep.push_back(0x1C);  // field +1: struct, again and again
  EXPECT_EQ(ParseFileMetaData(deep.data(), deep.size(), &metadata).code(), Status::Code::kCorruption);
}

TEST(MetadataTest, FooterTail) {
  uint8_t tail[8] = {0x10, 0x00, 0x00, 0x00, 'P', 'A', 'R', '1'};
  uint32_t length = 0;
  ASSERT_TRUE(ParseFooterTail(tail, 100, &length).ok());
  EXPECT_EQ(length, 16u);
  EXPECT_EQ(ParseFooterTail(tail, 27, &length).code(), Status::Code::kCorruption);  // 16 + 12 > 27
  EXPECT_TRUE(ParseFooterTail(tail, 28, &length).ok());
  EXPECT_EQ(ParseFooterTail(tail, 11, &length).code(), Status::Code::kCorruption);
  tail[7] = '2';
  EXPECT_EQ(ParseFooterTail(tail, 100, &length).code(), Status::Code::kCorruption);
}

TEST(MetadataTest, PageIndexRoundTrip) {
  format::OffsetIndex offsets;
  for (int i = 0; i < 3; ++i) {
    format::PageLocation location;
    location.offset = 4 + i * 1000;
    location.compressed_page_size = 1000;
    location.first_row_index = i * 500;
    offsets.page_locations.push_back(location);
  }
  format::ColumnIndex index;
  index.null_pages = {false, true, false};
  index.min_values = {"a", "", "m"};
  index.max_values = {"k", "", "z"};
  index.boundary_order = format::BoundaryOrder::ASCENDING;
  index.__set_null_counts({0, 500, 2});
  Buffer offset_bytes, index_bytes;
  ASSERT_TRUE(SerializeOffsetIndex(offsets, &offset_bytes).ok());
  ASSERT_TRUE(SerializeColumnIndex(index, &index_bytes).ok());
  format::OffsetIndex parsed_offsets;
  format::ColumnIndex parsed_index;
  ASSERT_TRUE(ParseOffsetIndex(offset_bytes.data(), offset_bytes.size(), &parsed_offsets).ok());
  ASSERT_TRUE(ParseColumnIndex(index_bytes.data(), index_bytes.size(), &parsed_index).ok());
  EXPECT_TRUE(parsed_offsets == offsets);
  EXPECT_TRUE(parsed_index == index);
}

}  // namespace
}  // namespace kiln::parquet
