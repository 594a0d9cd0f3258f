// Decodes every page of the DuckDB and Polars fixture files with this layer
// alone (metadata, codecs, levels, every value encoding they use) and checks
// flat columns against the expected JSON lines written next to each file.
// This stands in for the column reader until it exists.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/parquet/bit_packing.h"
#include "kiln/parquet/byte_stream_split.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/delta_binary_packed.h"
#include "kiln/parquet/delta_byte_array.h"
#include "kiln/parquet/delta_length_byte_array.h"
#include "kiln/parquet/dictionary.h"
#include "kiln/parquet/metadata.h"
#include "kiln/parquet/plain.h"
#include "kiln/parquet/rle_bit_packed.h"
#include "parquet_test_util.h"
#include "testing/shared_data.h"

namespace kiln::parquet {
namespace {

namespace fs = std::filesystem;
using format::Encoding;
using format::Type;

std::optional<fs::path> FixtureDirectory() {
  const std::string directory = kiln::testing::SharedPath("fixtures/parquet");
  if (directory.empty()) return std::nullopt;
  return fs::path(directory);
}

std::vector<uint8_t> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct LeafColumn {
  std::string name;            // Top-level field name.
  Type::type type;             // Physical type.
  int type_length = 0;         // FIXED_LEN_BYTE_ARRAY width.
  int16_t max_definition = 0;  // Optional and repeated ancestors, itself included.
  int16_t max_repetition = 0;  // Repeated ancestors, itself included.
};

// Walks the depth-first schema list, returning the element after the subtree.
size_t CollectLeaves(const std::vector<format::SchemaElement>& schema, size_t index, const std::string& top,
                     int16_t definition, int16_t repetition, std::vector<LeafColumn>* leaves) {
  const format::SchemaElement& element = schema[index];
  if (index > 0 && element.repetition_type != format::FieldRepetitionType::REQUIRED) ++definition;
  if (index > 0 && element.repetition_type == format::FieldRepetitionType::REPEATED) ++repetition;
  const std::string name = top.empty() && index > 0 ? element.name : top;
  if (element.num_children == 0) {
    leaves->push_back({name, element.type, element.type_length, definition, repetition});
    return index + 1;
  }
  size_t next = index + 1;
  for (int i = 0; i < element.num_children; ++i) next = CollectLeaves(schema, next, name, definition, repetition, leaves);
  return next;
}

// Non-null values of one column, widened to one representation per kind.
struct Values {
  std::vector<int64_t> ints;  // BOOLEAN, INT32, INT64, INT96 (as micros).
  std::vector<double> reals;  // FLOAT, DOUBLE.
  Buffer offsets;             // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY.
  Buffer bytes;
  Values() { testing::StartOffsets(&offsets); }
  int64_t count() const {
    return static_cast<int64_t>(ints.size() + reals.size() + offsets.size() / sizeof(int64_t) - 1);
  }
};

template <typename T, typename Wide>
void Append(const std::vector<T>& values, std::vector<Wide>* out) {
  out->insert(out->end(), values.begin(), values.end());
}

Status DecodePlainValues(const LeafColumn& leaf, const uint8_t* data, size_t size, int64_t count, Values* out) {
  size_t consumed = 0;
  switch (leaf.type) {
    case Type::BOOLEAN: {
      std::vector<uint8_t> values(count);
      Status status = DecodePlainBoolean(data, size, count, values.data(), &consumed);
      Append(values, &out->ints);
      return status;
    }
    case Type::INT32: {
      std::vector<int32_t> values(count);
      Status status = DecodePlain(data, size, count, values.data(), &consumed);
      Append(values, &out->ints);
      return status;
    }
    case Type::INT64: {
      std::vector<int64_t> values(count);
      Status status = DecodePlain(data, size, count, values.data(), &consumed);
      Append(values, &out->ints);
      return status;
    }
    case Type::INT96: {
      std::vector<int64_t> values(count);
      Status status = DecodePlainInt96ToMicros(data, size, count, values.data(), &consumed);
      Append(values, &out->ints);
      return status;
    }
    case Type::FLOAT: {
      std::vector<float> values(count);
      Status status = DecodePlain(data, size, count, values.data(), &consumed);
      Append(values, &out->reals);
      return status;
    }
    case Type::DOUBLE: {
      std::vector<double> values(count);
      Status status = DecodePlain(data, size, count, values.data(), &consumed);
      Append(values, &out->reals);
      return status;
    }
    case Type::BYTE_ARRAY:
      return DecodePlainByteArray(data, size, count, &out->offsets, &out->bytes, &consumed);
    case Type::FIXED_LEN_BYTE_ARRAY: {
      std::vector<uint8_t> values(count * leaf.type_length);
      Status status = DecodePlainFixed(data, size, count, leaf.type_length, values.data(), &consumed);
      for (int64_t i = 0; i < count && status.ok(); ++i) {
        out->bytes.Append(values.data() + i * leaf.type_length, leaf.type_length);
        int64_t end = static_cast<int64_t>(out->bytes.size());
        out->offsets.Append(&end, sizeof(end));
      }
      return status;
    }
  }
  return Status::NotSupported("physical type");
}

Status GatherFromDictionary(const Values& dictionary, const uint8_t* data, size_t size, int64_t count,
                            Values* out) {
  if (size < 1) return Status::Corruption("dictionary page without bit width");
  RleBitPackedDecoder decoder(data + 1, size - 1, data[0]);
  std::vector<uint32_t> indices(count);
  if (decoder.Decode(indices.data(), static_cast<int>(count)) != count) return decoder.status();
  if (!dictionary.ints.empty() || !dictionary.reals.empty()) {
    std::vector<int64_t> ints(dictionary.ints.empty() ? 0 : count);
    std::vector<double> reals(dictionary.reals.empty() ? 0 : count);
    Status status = dictionary.ints.empty()
                        ? DictionaryGather(dictionary.reals.data(), dictionary.reals.size(), indices.data(), count,
                                           reals.data())
                        : DictionaryGather(dictionary.ints.data(), dictionary.ints.size(), indices.data(), count,
                                           ints.data());
    Append(ints, &out->ints);
    Append(reals, &out->reals);
    return status;
  }
  return DictionaryGatherByteArray(dictionary.offsets.as<int64_t>(), dictionary.bytes.data(), dictionary.count(),
                                   indices.data(), count, &out->offsets, &out->bytes);
}

template <typename T>
Status DecodeDelta(const uint8_t* data, size_t size, int64_t count, std::vector<int64_t>* out) {
  DeltaBinaryPackedDecoder<T> decoder;
  Status status = decoder.Init(data, size);
  if (!status.ok()) return status;
  std::vector<T> values(count);
  if (decoder.Decode(values.data(), static_cast<int>(count)) != count) return decoder.status();
  Append(values, out);
  return Status::OK();
}

Status DecodeSplitValues(const LeafColumn& leaf, const uint8_t* data, size_t size, int64_t count, Values* out) {
  const int width = leaf.type == Type::FLOAT || leaf.type == Type::INT32 ? 4 : 8;
  std::vector<uint8_t> bytes(count * width);
  size_t consumed = 0;
  Status status = DecodeByteStreamSplit(data, size, count, width, bytes.data(), &consumed);
  for (int64_t i = 0; i < count && status.ok(); ++i) {
    if (leaf.type == Type::FLOAT) {
      float value;
      std::memcpy(&value, bytes.data() + 4 * i, 4);
      out->reals.push_back(value);
    } else if (leaf.type == Type::DOUBLE) {
      double value;
      std::memcpy(&value, bytes.data() + 8 * i, 8);
      out->reals.push_back(value);
    } else {
      return Status::NotSupported("BYTE_STREAM_SPLIT integers in this test");
    }
  }
  return status;
}

Status DecodeValues(const LeafColumn& leaf, Encoding::type encoding, const Values& dictionary, const uint8_t* data,
                    size_t size, int64_t count, Values* out) {
  size_t consumed = 0;
  switch (encoding) {
    case Encoding::PLAIN:
      return DecodePlainValues(leaf, data, size, count, out);
    case Encoding::PLAIN_DICTIONARY:
    case Encoding::RLE_DICTIONARY:
      return GatherFromDictionary(dictionary, data, size, count, out);
    case Encoding::DELTA_BINARY_PACKED:
      return leaf.type == Type::INT32 ? DecodeDelta<int32_t>(data, size, count, &out->ints)
                                      : DecodeDelta<int64_t>(data, size, count, &out->ints);
    case Encoding::DELTA_LENGTH_BYTE_ARRAY:
      return DecodeDeltaLengthByteArray(data, size, count, &out->offsets, &out->bytes, &consumed);
    case Encoding::DELTA_BYTE_ARRAY:
      return DecodeDeltaByteArray(data, size, count, &out->offsets, &out->bytes, &consumed);
    case Encoding::RLE: {
      RleBitPackedDecoder decoder;
      Status status = decoder.ResetLengthPrefixed(data, size, 1, &consumed);
      std::vector<uint8_t> values(count);
      if (status.ok() && decoder.Decode(values.data(), static_cast<int>(count)) != count) status = decoder.status();
      Append(values, &out->ints);
      return status;
    }
    case Encoding::BYTE_STREAM_SPLIT:
      return DecodeSplitValues(leaf, data, size, count, out);
    default:
      return Status::NotSupported("encoding " + std::to_string(encoding));
  }
}

// Decodes levels and returns the number of non-null values.
Status DecodeLevels(RleBitPackedDecoder* decoder, int16_t max_level, int64_t count, std::vector<int16_t>* out,
                    int64_t* matching) {
  std::vector<int16_t> levels(count);
  if (decoder->Decode(levels.data(), static_cast<int>(count)) != count) return decoder->status();
  *matching = 0;
  for (int16_t level : levels) {
    if (level > max_level) return Status::Corruption("level above maximum");
    *matching += level == max_level;
  }
  out->insert(out->end(), levels.begin(), levels.end());
  return Status::OK();
}

struct Chunk {
  Values values;
  Values dictionary;
  std::vector<int16_t> definitions;  // One per slot; empty when the column is required.
  int64_t slots = 0;                 // Values including nulls.
};

Status DecodeDataPageV1(const LeafColumn& leaf, const format::DataPageHeader& page, const uint8_t* data, size_t size,
                        Chunk* chunk) {
  size_t offset = 0;
  size_t consumed = 0;
  std::vector<int16_t> repetitions;
  int64_t ignored = 0;
  if (leaf.max_repetition > 0) {
    RleBitPackedDecoder decoder;
    Status status = decoder.ResetLengthPrefixed(data, size, BitWidthOf(leaf.max_repetition), &consumed);
    if (status.ok()) status = DecodeLevels(&decoder, leaf.max_repetition, page.num_values, &repetitions, &ignored);
    if (!status.ok()) return status;
    offset += consumed;
  }
  int64_t non_null = page.num_values;
  if (leaf.max_definition > 0) {
    RleBitPackedDecoder decoder;
    Status status =
        decoder.ResetLengthPrefixed(data + offset, size - offset, BitWidthOf(leaf.max_definition), &consumed);
    if (status.ok()) status = DecodeLevels(&decoder, leaf.max_definition, page.num_values, &chunk->definitions, &non_null);
    if (!status.ok()) return status;
    offset += consumed;
  }
  chunk->slots += page.num_values;
  return DecodeValues(leaf, page.encoding, chunk->dictionary, data + offset, size - offset, non_null, &chunk->values);
}

Status DecodeDataPageV2(const LeafColumn& leaf, const format::PageHeader& header, const uint8_t* body,
                        Codec codec, Chunk* chunk) {
  const format::DataPageHeaderV2& page = header.data_page_header_v2;
  const size_t levels = page.repetition_levels_byte_length + page.definition_levels_byte_length;
  int64_t non_null = page.num_values;
  if (leaf.max_definition > 0) {
    RleBitPackedDecoder decoder(body + page.repetition_levels_byte_length, page.definition_levels_byte_length,
                                BitWidthOf(leaf.max_definition));
    Status status = DecodeLevels(&decoder, leaf.max_definition, page.num_values, &chunk->definitions, &non_null);
    if (!status.ok()) return status;
  }
  if (non_null != page.num_values - page.num_nulls) return Status::Corruption("v2 null count disagrees");
  chunk->slots += page.num_values;
  std::vector<uint8_t> values(header.uncompressed_page_size - levels);
  const bool compressed = page.is_compressed && codec != format::CompressionCodec::UNCOMPRESSED;
  Status status = Decompress(compressed ? codec : format::CompressionCodec::UNCOMPRESSED, body + levels,
                             header.compressed_page_size - levels, values.data(), values.size());
  if (!status.ok()) return status;
  return DecodeValues(leaf, page.encoding, chunk->dictionary, values.data(), values.size(), non_null, &chunk->values);
}

Status DecodeChunk(const std::vector<uint8_t>& file, const format::ColumnMetaData& meta, const LeafColumn& leaf,
                   Chunk* chunk) {
  int64_t position = meta.__isset.dictionary_page_offset && meta.dictionary_page_offset > 0
                         ? meta.dictionary_page_offset
                         : meta.data_page_offset;
  const int64_t end = position + meta.total_compressed_size;
  while (position < end && chunk->slots < meta.num_values) {
    format::PageHeader header;
    size_t header_size = 0;
    Status status = ParsePageHeader(file.data() + position, end - position, &header, &header_size);
    if (!status.ok()) return status;
    const uint8_t* body = file.data() + position + header_size;
    position += header_size + header.compressed_page_size;
    if (header.type == format::PageType::DATA_PAGE_V2) {
      status = DecodeDataPageV2(leaf, header, body, meta.codec, chunk);
      if (!status.ok()) return status;
      continue;
    }
    std::vector<uint8_t> page(header.uncompressed_page_size);
    status = Decompress(meta.codec, body, header.compressed_page_size, page.data(), page.size());
    if (!status.ok()) return status;
    if (header.type == format::PageType::DICTIONARY_PAGE) {
      status = DecodePlainValues(leaf, page.data(), page.size(), header.dictionary_page_header.num_values,
                                 &chunk->dictionary);
    } else if (header.type == format::PageType::DATA_PAGE) {
      status = DecodeDataPageV1(leaf, header.data_page_header, page.data(), page.size(), chunk);
    }
    if (!status.ok()) return status;
  }
  if (chunk->slots != meta.num_values) return Status::Corruption("chunk value count disagrees");
  return Status::OK();
}

// The raw JSON text of `"key":` in a line: a number, true/false, null or a
// quoted string (returned with its quotes).
std::string JsonToken(const std::string& line, const std::string& key) {
  size_t start = line.find("\"" + key + "\":");
  if (start == std::string::npos) return "";
  start += key.size() + 3;
  size_t end = start;
  if (line[start] == '"') {
    end = line.find('"', start + 1) + 1;
  } else {
    end = line.find_first_of(",}", start);
  }
  return line.substr(start, end - start);
}

// Compares a flat column with the JSON lines, row by row.
void CheckAgainstJson(const LeafColumn& leaf, const Chunk& chunk, const std::vector<std::string>& lines,
                      int64_t first_row, int64_t* checked) {
  int64_t value_index = 0;
  for (int64_t row = 0; row < chunk.slots; ++row) {
    const std::string token = JsonToken(lines[first_row + row], leaf.name);
    const bool is_null = !chunk.definitions.empty() && chunk.definitions[row] < leaf.max_definition;
    ASSERT_EQ(is_null, token == "null") << leaf.name << " row " << first_row + row;
    if (is_null) continue;
    const int64_t i = value_index++;
    if (!chunk.values.ints.empty() && leaf.type == Type::BOOLEAN) {
      EXPECT_EQ(chunk.values.ints[i] ? "true" : "false", token) << leaf.name;
    } else if (!chunk.values.ints.empty() && (leaf.name == "id" || leaf.name == "big" || leaf.name == "small" ||
                                             leaf.name == "tiny" || leaf.name == "ts")) {
      EXPECT_EQ(std::to_string(chunk.values.ints[i]), token) << leaf.name << " row " << first_row + row;
    } else if (!chunk.values.reals.empty()) {
      double expected = std::strtod(token.c_str(), nullptr);
      if (leaf.type == Type::FLOAT) expected = static_cast<float>(expected);
      EXPECT_EQ(chunk.values.reals[i], expected) << leaf.name << " row " << first_row + row;
    } else if (leaf.type == Type::BYTE_ARRAY && token.find('\\') == std::string::npos) {
      const int64_t* ends = chunk.values.offsets.as<int64_t>();
      std::string value(reinterpret_cast<const char*>(chunk.values.bytes.data()) + ends[i], ends[i + 1] - ends[i]);
      EXPECT_EQ("\"" + value + "\"", token) << leaf.name << " row " << first_row + row;
    } else {
      continue;
    }
    ++*checked;
  }
}

std::vector<std::string> ReadLines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(FixtureFilesTest, DecodeEveryPageAndMatchExpectedValues) {
  auto directory = FixtureDirectory();
  if (!directory) GTEST_SKIP() << "shared/fixtures/parquet not found";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(*directory)) {
    if (entry.path().extension() != ".parquet") continue;
    SCOPED_TRACE(entry.path().filename().string());
    ++files;
    const std::vector<uint8_t> file = ReadFile(entry.path());
    uint32_t footer_size = 0;
    ASSERT_TRUE(ParseFooterTail(file.data() + file.size() - kFooterTailSize, file.size(), &footer_size).ok());
    format::FileMetaData metadata;
    Status status = ParseFileMetaData(file.data() + file.size() - kFooterTailSize - footer_size, footer_size, &metadata);
    ASSERT_TRUE(status.ok()) << status.ToString();
    std::vector<LeafColumn> leaves;
    CollectLeaves(metadata.schema, 0, "", 0, 0, &leaves);
    fs::path expected_path = entry.path();
    expected_path.replace_extension(".expected.jsonl");
    const std::vector<std::string> lines = ReadLines(expected_path);
    ASSERT_EQ(static_cast<int64_t>(lines.size()), metadata.num_rows);
    int64_t first_row = 0;
    int64_t checked = 0;
    for (const format::RowGroup& row_group : metadata.row_groups) {
      ASSERT_EQ(row_group.columns.size(), leaves.size());
      for (size_t c = 0; c < leaves.size(); ++c) {
        Chunk chunk;
        status = DecodeChunk(file, row_group.columns[c].meta_data, leaves[c], &chunk);
        ASSERT_TRUE(status.ok()) << leaves[c].name << ": " << status.ToString();
        if (leaves[c].max_repetition == 0) {
          ASSERT_EQ(chunk.slots, row_group.num_rows);
          CheckAgainstJson(leaves[c], chunk, lines, first_row, &checked);
        }
      }
      first_row += row_group.num_rows;
    }
    EXPECT_GE(checked, metadata.num_rows) << "too few values were compared";
  }
  EXPECT_GE(files, 1);
}

}  // namespace
}  // namespace kiln::parquet
