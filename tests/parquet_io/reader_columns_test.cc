// Column decoding on hand-built files: physical and logical types, every
// value and level encoding, both data page versions, and the list forms,
// checked through the canonical JSON that `kiln cat` prints.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canonical_json.h"
#include "kiln/parquet/byte_stream_split.h"
#include "kiln/parquet/delta_binary_packed.h"
#include "kiln/parquet/delta_byte_array.h"
#include "parquet_file_builder.h"

namespace kiln::parquet {
namespace {

using format::CompressionCodec;
using format::ConvertedType;
using format::Encoding;
using format::FieldRepetitionType;
using format::Type;
using namespace kiln::parquet::testing;
using kiln::testing::TableToJsonLines;

constexpr auto kRequired = FieldRepetitionType::REQUIRED;
constexpr auto kOptional = FieldRepetitionType::OPTIONAL;
constexpr auto kRepeated = FieldRepetitionType::REPEATED;

std::vector<std::string> Lines(const std::string& file, const ParquetReadOptions& options = {}) {
  Result<Table> table = ReadBytes(file, options);
  if (!table.ok()) return {table.status().ToString()};
  return TableToJsonLines(*table);
}

template <typename T>
std::string DeltaEncoded(const std::vector<T>& values) {
  Buffer out;
  DeltaBinaryPackedEncode(values.data(), static_cast<int64_t>(values.size()), &out);
  return ToString(out);
}

TEST(ReaderColumnsTest, OptionalInt32WithNullsInV1AndV2Pages) {
  for (bool v2 : {false, true}) {
    SCOPED_TRACE(v2 ? "v2" : "v1");
    ParquetFileBuilder builder({LeafElement("v", Type::INT32, kOptional)});
    builder.StartRowGroup(7);
    builder.StartChunk(Type::INT32, "v", CompressionCodec::SNAPPY);
    const std::vector<uint8_t> first = {1, 0, 1, 1}, second = {0, 0, 1};
    if (v2) {
      builder.AddDataPageV2(4, 1, 4, Encoding::PLAIN, "", LevelsV2(first, 1), Plain<int32_t>({10, 20, 30}));
      builder.AddDataPageV2(3, 2, 3, Encoding::PLAIN, "", LevelsV2(second, 1), Plain<int32_t>({-5}), false);
    } else {
      builder.AddDataPageV1(4, Encoding::PLAIN, LevelsV1(first, 1) + Plain<int32_t>({10, 20, 30}));
      builder.AddDataPageV1(3, Encoding::PLAIN, LevelsV1(second, 1) + Plain<int32_t>({-5}));
    }
    builder.EndChunk();
    EXPECT_EQ(Lines(builder.Finish()),
              (std::vector<std::string>{"{\"v\":10}", "{\"v\":null}", "{\"v\":20}", "{\"v\":30}", "{\"v\":null}",
                                        "{\"v\":null}", "{\"v\":-5}"}));
  }
}

TEST(ReaderColumnsTest, DictionaryPagesForStringsAndInt96) {
  format::SchemaElement name = LeafElement("name", Type::BYTE_ARRAY, kOptional);
  name.__set_converted_type(ConvertedType::UTF8);
  ParquetFileBuilder builder({name, LeafElement("at", Type::INT96, kRequired)});
  builder.StartRowGroup(4);
  builder.StartChunk(Type::BYTE_ARRAY, "name", CompressionCodec::ZSTD);
  builder.AddDictionaryPage(PlainStrings({"zero", "", "two"}), 3);
  builder.AddDataPageV1(4, Encoding::RLE_DICTIONARY, LevelsV1({1, 1, 0, 1}, 1) + DictionaryIndices({2, 1, 0}, 2));
  builder.EndChunk();
  builder.StartChunk(Type::INT96, "at", CompressionCodec::GZIP);
  std::string dictionary;
  for (int64_t micros : {int64_t{0}, int64_t{-1}, int64_t{1700000000123456}}) {
    uint8_t value[12];
    MicrosToInt96(micros, value);
    dictionary.append(reinterpret_cast<const char*>(value), 12);
  }
  builder.AddDictionaryPage(dictionary, 3);
  builder.AddDataPageV1(4, Encoding::PLAIN_DICTIONARY, DictionaryIndices({2, 0, 1, 2}, 2));
  builder.EndChunk();
  EXPECT_EQ(Lines(builder.Finish()),
            (std::vector<std::string>{"{\"name\":\"two\",\"at\":1700000000123456}", "{\"name\":\"\",\"at\":0}",
                                      "{\"name\":null,\"at\":-1}", "{\"name\":\"zero\",\"at\":1700000000123456}"}));
}

TEST(ReaderColumnsTest, DecimalsFromEveryPhysicalType) {
  auto decimal = [](const std::string& name, Type::type type, int precision, int scale, int length = 0) {
    format::SchemaElement element = LeafElement(name, type, kRequired);
    element.__set_converted_type(ConvertedType::DECIMAL);
    element.__set_precision(precision);
    element.__set_scale(scale);
    if (length > 0) element.__set_type_length(length);
    return element;
  };
  ParquetFileBuilder builder({decimal("a", Type::INT32, 9, 2), decimal("b", Type::FIXED_LEN_BYTE_ARRAY, 10, 3, 5),
                              decimal("c", Type::BYTE_ARRAY, 38, 0)});
  builder.StartRowGroup(3);
  builder.StartChunk(Type::INT32, "a");
  builder.AddDataPageV1(3, Encoding::PLAIN, Plain<int32_t>({-5, 120700, 0}));
  builder.EndChunk();
  builder.StartChunk(Type::FIXED_LEN_BYTE_ARRAY, "b");
  // Big-endian two's complement: -1, 256, -4294967296 (-2^32).
  builder.AddDataPageV1(3, Encoding::PLAIN,
                        std::string("\xff\xff\xff\xff\xff\x00\x00\x00\x01\x00\xff\x00\x00\x00\x00", 15));
  builder.EndChunk();
  builder.StartChunk(Type::BYTE_ARRAY, "c");
  // An empty array is 0; 17 bytes of sign extension still fit 128 bits.
  builder.AddDataPageV1(3, Encoding::PLAIN, PlainStrings({"", std::string("\x80", 1), std::string(17, '\xff')}));
  builder.EndChunk();
  EXPECT_EQ(Lines(builder.Finish()),
            (std::vector<std::string>{"{\"a\":\"-0.05\",\"b\":\"-0.001\",\"c\":\"0\"}",
                                      "{\"a\":\"1207.00\",\"b\":\"0.256\",\"c\":\"-128\"}",
                                      "{\"a\":\"0.00\",\"b\":\"-4294967.296\",\"c\":\"-1\"}"}));
}

TEST(ReaderColumnsTest, TimestampUnitsTimesAndFloat16) {
  auto annotated = [](const std::string& name, Type::type type, ConvertedType::type converted) {
    format::SchemaElement element = LeafElement(name, type, kRequired);
    element.__set_converted_type(converted);
    return element;
  };
  format::SchemaElement nanos = LeafElement("ns", Type::INT64, kRequired);
  format::LogicalType logical;
  logical.__isset.TIMESTAMP = true;
  logical.TIMESTAMP.unit.__set_NANOS(format::NanoSeconds());
  nanos.__set_logicalType(logical);
  format::SchemaElement half = LeafElement("h", Type::FIXED_LEN_BYTE_ARRAY, kRequired);
  half.__set_type_length(2);
  format::LogicalType float16;
  float16.__set_FLOAT16(format::Float16Type());
  half.__set_logicalType(float16);
  ParquetFileBuilder builder({annotated("ms", Type::INT64, ConvertedType::TIMESTAMP_MILLIS), nanos,
                              annotated("t", Type::INT32, ConvertedType::TIME_MILLIS), half});
  builder.StartRowGroup(2);
  builder.StartChunk(Type::INT64, "ms");
  builder.AddDataPageV1(2, Encoding::PLAIN, Plain<int64_t>({-1, 1700000000123}));
  builder.EndChunk();
  builder.StartChunk(Type::INT64, "ns");
  builder.AddDataPageV1(2, Encoding::PLAIN, Plain<int64_t>({-1, 1999}));  // Floor: -1 ns is -1 µs.
  builder.EndChunk();
  builder.StartChunk(Type::INT32, "t");
  builder.AddDataPageV1(2, Encoding::PLAIN, Plain<int32_t>({0, 86399999}));
  builder.EndChunk();
  builder.StartChunk(Type::FIXED_LEN_BYTE_ARRAY, "h");
  builder.AddDataPageV1(2, Encoding::PLAIN, Plain<uint16_t>({0x3E00, 0xC000}));  // 1.5, -2
  builder.EndChunk();
  EXPECT_EQ(Lines(builder.Finish()),
            (std::vector<std::string>{"{\"ms\":-1000,\"ns\":-1,\"t\":0,\"h\":1.5}",
                                      "{\"ms\":1700000000123000,\"ns\":1,\"t\":86399999000,\"h\":-2}"}));
}

TEST(ReaderColumnsTest, DeltaSplitAndRleEncodings) {
  format::SchemaElement prefix = LeafElement("p", Type::BYTE_ARRAY, kRequired);
  prefix.__set_converted_type(ConvertedType::UTF8);
  format::SchemaElement u64 = LeafElement("u", Type::INT64, kRequired);
  u64.__set_converted_type(ConvertedType::UINT_64);
  ParquetFileBuilder builder({LeafElement("i", Type::INT32, kRequired), u64, prefix,
                              LeafElement("d", Type::DOUBLE, kRequired), LeafElement("b", Type::BOOLEAN, kRequired)});
  builder.StartRowGroup(3);
  builder.StartChunk(Type::INT32, "i", CompressionCodec::LZ4_RAW);
  builder.AddDataPageV1(3, Encoding::DELTA_BINARY_PACKED, DeltaEncoded<int32_t>({INT32_MAX, INT32_MIN, 7}));
  builder.EndChunk();
  builder.StartChunk(Type::INT64, "u", CompressionCodec::BROTLI);
  builder.AddDataPageV1(3, Encoding::DELTA_BINARY_PACKED, DeltaEncoded<int64_t>({-1, 0, 5}));
  builder.EndChunk();
  builder.StartChunk(Type::BYTE_ARRAY, "p");
  const std::vector<int64_t> ends = {0, 5, 12, 13};
  const std::string bytes = "appleappliedb";
  Buffer encoded;
  ASSERT_TRUE(EncodeDeltaByteArray(ends.data(), reinterpret_cast<const uint8_t*>(bytes.data()), 3, &encoded).ok());
  builder.AddDataPageV1(3, Encoding::DELTA_BYTE_ARRAY, ToString(encoded));
  builder.EndChunk();
  builder.StartChunk(Type::DOUBLE, "d");
  std::vector<double> reals = {0.5, -2.25, 1e300};
  Buffer split;
  EncodeByteStreamSplit(reinterpret_cast<const uint8_t*>(reals.data()), 3, 8, &split);
  builder.AddDataPageV1(3, Encoding::BYTE_STREAM_SPLIT, ToString(split));
  builder.EndChunk();
  builder.StartChunk(Type::BOOLEAN, "b");
  builder.AddDataPageV1(3, Encoding::RLE, LevelsV1({1, 0, 1}, 1));
  builder.EndChunk();
  EXPECT_EQ(
      Lines(builder.Finish()),
      (std::vector<std::string>{"{\"i\":2147483647,\"u\":18446744073709551615,\"p\":\"apple\",\"d\":0.5,\"b\":true}",
                                "{\"i\":-2147483648,\"u\":0,\"p\":\"applied\",\"d\":-2.25,\"b\":false}",
                                "{\"i\":7,\"u\":5,\"p\":\"b\",\"d\":1e+300,\"b\":true}"}));
}

TEST(ReaderColumnsTest, ThreeLevelListsWithNullsEmptiesAndRowsAcrossPages) {
  format::SchemaElement list = GroupElement("tags", 1, kOptional);
  list.__set_converted_type(ConvertedType::LIST);
  format::SchemaElement element = LeafElement("element", Type::BYTE_ARRAY, kOptional);
  element.__set_converted_type(ConvertedType::UTF8);
  ParquetFileBuilder builder({list, GroupElement("list", 1, kRepeated), element});
  builder.SetRootChildren(1);
  builder.StartRowGroup(5);
  builder.StartChunk(Type::BYTE_ARRAY, "tags.list.element");
  // Rows: ["a", null], null, [], ["b", "c" | page break | , "d"], [null].
  builder.AddDataPageV1(
      6, Encoding::PLAIN,
      LevelsV1({0, 1, 0, 0, 0, 1}, 1) + LevelsV1({3, 2, 0, 1, 3, 3}, 3) + PlainStrings({"a", "b", "c"}));
  builder.AddDataPageV1(2, Encoding::PLAIN, LevelsV1({1, 0}, 1) + LevelsV1({3, 2}, 3) + PlainStrings({"d"}));
  builder.EndChunk();
  EXPECT_EQ(Lines(builder.Finish()),
            (std::vector<std::string>{"{\"tags\":[\"a\",null]}", "{\"tags\":null}", "{\"tags\":[]}",
                                      "{\"tags\":[\"b\",\"c\",\"d\"]}", "{\"tags\":[null]}"}));
}

TEST(ReaderColumnsTest, LegacyListsAndBitPackedLevels) {
  format::SchemaElement legacy = GroupElement("ids", 1, kOptional);
  legacy.__set_converted_type(ConvertedType::LIST);
  ParquetFileBuilder builder({legacy, LeafElement("id", Type::INT32, kRepeated),
                              LeafElement("bare", Type::INT64, kRepeated), LeafElement("old", Type::INT32, kOptional)});
  builder.SetRootChildren(3);
  builder.StartRowGroup(3);
  // Two-level list: definition 0 null, 1 empty, 2 element.
  builder.StartChunk(Type::INT32, "ids.id");
  builder.AddDataPageV2(4, 0, 3, Encoding::PLAIN, LevelsV2({0, 1, 0, 0}, 1), LevelsV2({2, 2, 0, 1}, 2),
                        Plain<int32_t>({4, 5}));
  builder.EndChunk();
  // Bare repeated field: a required list of required elements.
  builder.StartChunk(Type::INT64, "bare");
  builder.AddDataPageV1(4, Encoding::PLAIN,
                        LevelsV1({0, 0, 1, 0}, 1) + LevelsV1({0, 1, 1, 1}, 1) + Plain<int64_t>({8, 9, 10}));
  builder.EndChunk();
  // Deprecated BIT_PACKED definition levels: 1, 0, 1 packed MSB first.
  builder.StartChunk(Type::INT32, "old");
  builder.AddDataPageV1(3, Encoding::PLAIN, std::string("\xa0", 1) + Plain<int32_t>({1, 3}), Encoding::BIT_PACKED);
  builder.EndChunk();
  EXPECT_EQ(Lines(builder.Finish()), (std::vector<std::string>{"{\"ids\":[4,5],\"bare\":[],\"old\":1}",
                                                               "{\"ids\":null,\"bare\":[8,9],\"old\":null}",
                                                               "{\"ids\":[],\"bare\":[10],\"old\":3}"}));
}

TEST(ReaderColumnsTest, AllNullPagesWithoutValueBytes) {
  ParquetFileBuilder builder({LeafElement("v", Type::DOUBLE, kOptional)});
  builder.StartRowGroup(3);
  builder.StartChunk(Type::DOUBLE, "v", CompressionCodec::SNAPPY);
  builder.AddDataPageV2(3, 3, 3, Encoding::RLE_DICTIONARY, "", LevelsV2({0, 0, 0}, 1), "", false);
  builder.EndChunk();
  EXPECT_EQ(Lines(builder.Finish()), (std::vector<std::string>{"{\"v\":null}", "{\"v\":null}", "{\"v\":null}"}));
}

TEST(ReaderColumnsTest, StatisticsSkipRowGroupsAndRowsAreFiltered) {
  ParquetFileBuilder builder({LeafElement("v", Type::INT64, kRequired)});
  builder.SetColumnOrders(1);
  for (int64_t group = 0; group < 3; ++group) {
    builder.StartRowGroup(2);
    builder.StartChunk(Type::INT64, "v");
    builder.AddDataPageV1(2, Encoding::PLAIN, Plain<int64_t>({group * 10, group * 10 + 5}));
    format::Statistics statistics;
    statistics.__set_min_value(Plain<int64_t>({group * 10}));
    statistics.__set_max_value(Plain<int64_t>({group * 10 + 5}));
    statistics.__set_null_count(0);
    builder.EndChunk(&statistics);
  }
  const std::string file = builder.Finish();
  ParquetReadOptions options;
  options.predicate = "v >= 15";
  auto file_reader = ParquetFileReader::Open(MakeMemorySource("s.parquet", file));
  ASSERT_TRUE(file_reader.ok());
  auto reader = ParquetReader::Open(std::move(*file_reader), options);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->row_groups_skipped(), 1);
  EXPECT_EQ(Lines(file, options), (std::vector<std::string>{"{\"v\":15}", "{\"v\":20}", "{\"v\":25}"}));
  options.predicate = "v = 5";
  options.columns = {"v"};
  EXPECT_EQ(Lines(file, options), (std::vector<std::string>{"{\"v\":5}"}));
}

TEST(ReaderColumnsTest, ProjectionSkipsUnsupportedColumns) {
  ParquetFileBuilder builder({GroupElement("s", 1, kOptional), LeafElement("x", Type::INT32, kOptional),
                              LeafElement("y", Type::INT32, kRequired)});
  builder.SetRootChildren(2);
  builder.StartRowGroup(1);
  builder.StartChunk(Type::INT32, "s.x");
  builder.AddDataPageV1(1, Encoding::PLAIN, LevelsV1({2}, 2) + Plain<int32_t>({1}));
  builder.EndChunk();
  builder.StartChunk(Type::INT32, "y");
  builder.AddDataPageV1(1, Encoding::PLAIN, Plain<int32_t>({2}));
  builder.EndChunk();
  const std::string file = builder.Finish();
  Result<Table> all = ReadBytes(file);
  ASSERT_EQ(all.status().code(), Status::Code::kNotSupported);
  EXPECT_NE(all.status().message().find("column 's'"), std::string::npos) << all.status().ToString();
  ParquetReadOptions options;
  options.columns = {"y"};
  EXPECT_EQ(Lines(file, options), std::vector<std::string>{"{\"y\":2}"});
  options.columns = {"nope"};
  EXPECT_EQ(ReadBytes(file, options).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace kiln::parquet
