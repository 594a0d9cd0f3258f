// ParquetFileBuilder: small Parquet files assembled page by page in memory,
// for reader tests of shapes and encodings that DuckDB and Polars do not
// write (INT96, legacy lists, deprecated level encodings, float16) and of
// corrupt files. Pages are written exactly as given: the builder encodes
// nothing, so a test can put any bytes anywhere.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/core/buffer.h"
#include "kiln/parquet/bit_packing.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/parquet/metadata.h"
#include "kiln/parquet/plain.h"
#include "kiln/parquet/rle_bit_packed.h"

namespace kiln::parquet::testing {

inline std::string ToString(const Buffer& buffer) {
  return std::string(reinterpret_cast<const char*>(buffer.data()), buffer.size());
}

// Definition or repetition levels as data page v1 stores them (RLE with a
// length prefix), or as v2 does (bare runs).
inline std::string LevelsV1(const std::vector<uint8_t>& levels, int max_level) {
  Buffer out;
  RleBitPackedEncodeWithLength(levels.data(), static_cast<int64_t>(levels.size()), BitWidthOf(max_level), &out);
  return ToString(out);
}
inline std::string LevelsV2(const std::vector<uint8_t>& levels, int max_level) {
  Buffer out;
  RleBitPackedEncode(levels.data(), static_cast<int64_t>(levels.size()), BitWidthOf(max_level), &out);
  return ToString(out);
}

template <typename T>
std::string Plain(const std::vector<T>& values) {
  Buffer out;
  EncodePlainFixed(values.data(), static_cast<int64_t>(values.size()), sizeof(T), &out);
  return ToString(out);
}

inline std::string PlainStrings(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    const uint32_t length = static_cast<uint32_t>(value.size());
    out.append(reinterpret_cast<const char*>(&length), 4);
    out += value;
  }
  return out;
}

// RLE_DICTIONARY data: the bit width byte, then the index runs.
inline std::string DictionaryIndices(const std::vector<uint32_t>& indices, int bit_width) {
  Buffer out;
  RleBitPackedEncode(indices.data(), static_cast<int64_t>(indices.size()), bit_width, &out);
  return std::string(1, static_cast<char>(bit_width)) + ToString(out);
}

class ParquetFileBuilder {
 public:
  // `leaves` follow the root in the schema list (groups included).
  explicit ParquetFileBuilder(std::vector<format::SchemaElement> elements) {
    format::SchemaElement root;
    root.name = "schema";
    root.__set_num_children(0);
    metadata_.schema.push_back(root);
    for (format::SchemaElement& element : elements) metadata_.schema.push_back(std::move(element));
    metadata_.version = 1;
    bytes_ = "PAR1";
  }

  // Sets how many top-level fields the root has (default: all elements).
  void SetRootChildren(int children) { metadata_.schema[0].__set_num_children(children); }

  void StartRowGroup(int64_t num_rows) {
    metadata_.row_groups.emplace_back();
    metadata_.row_groups.back().num_rows = num_rows;
    metadata_.num_rows += num_rows;
  }

  void StartChunk(format::Type::type type, const std::string& path,
                  format::CompressionCodec::type codec = format::CompressionCodec::UNCOMPRESSED) {
    chunk_ = format::ColumnChunk();
    chunk_.__isset.meta_data = true;
    chunk_.meta_data.type = type;
    chunk_.meta_data.path_in_schema = {path};
    chunk_.meta_data.codec = codec;
    chunk_.meta_data.data_page_offset = static_cast<int64_t>(bytes_.size());
    chunk_start_ = bytes_.size();
  }

  void AddDictionaryPage(const std::string& values, int32_t count) {
    chunk_.meta_data.__set_dictionary_page_offset(static_cast<int64_t>(bytes_.size()));
    format::PageHeader header;
    header.type = format::PageType::DICTIONARY_PAGE;
    header.__isset.dictionary_page_header = true;
    header.dictionary_page_header.num_values = count;
    header.dictionary_page_header.encoding = format::Encoding::PLAIN;
    AppendPage(header, values, values);
    chunk_.meta_data.data_page_offset = static_cast<int64_t>(bytes_.size());
  }

  // `body` is levels then values, uncompressed; the chunk's codec applies.
  void AddDataPageV1(int32_t num_values, format::Encoding::type encoding, const std::string& body,
                     format::Encoding::type level_encoding = format::Encoding::RLE) {
    format::PageHeader header;
    header.type = format::PageType::DATA_PAGE;
    header.__isset.data_page_header = true;
    header.data_page_header.num_values = num_values;
    header.data_page_header.encoding = encoding;
    header.data_page_header.definition_level_encoding = level_encoding;
    header.data_page_header.repetition_level_encoding = level_encoding;
    AppendPage(header, body, body);
    chunk_.meta_data.num_values += num_values;
  }

  void AddDataPageV2(int32_t num_values, int32_t num_nulls, int32_t num_rows, format::Encoding::type encoding,
                     const std::string& repetition, const std::string& definition, const std::string& values,
                     bool compressed = true) {
    format::PageHeader header;
    header.type = format::PageType::DATA_PAGE_V2;
    header.__isset.data_page_header_v2 = true;
    format::DataPageHeaderV2& v2 = header.data_page_header_v2;
    v2.num_values = num_values;
    v2.num_nulls = num_nulls;
    v2.num_rows = num_rows;
    v2.encoding = encoding;
    v2.repetition_levels_byte_length = static_cast<int32_t>(repetition.size());
    v2.definition_levels_byte_length = static_cast<int32_t>(definition.size());
    v2.__set_is_compressed(compressed);
    std::string stored = compressed ? Compressed(values) : values;
    AppendRawPage(header, repetition + definition + values, repetition + definition + stored);
    chunk_.meta_data.num_values += num_values;
  }

  // Appends bytes that are not a page (to test readers that must stop).
  void AppendRaw(const std::string& bytes) { bytes_ += bytes; }

  void EndChunk(const format::Statistics* statistics = nullptr) {
    chunk_.meta_data.total_compressed_size = static_cast<int64_t>(bytes_.size() - chunk_start_);
    chunk_.meta_data.total_uncompressed_size = chunk_.meta_data.total_compressed_size;
    if (statistics != nullptr) chunk_.meta_data.__set_statistics(*statistics);
    metadata_.row_groups.back().columns.push_back(chunk_);
  }

  // Gives every leaf the type-defined sort order, so statistics are usable.
  void SetColumnOrders(int leaves) {
    format::ColumnOrder order;
    order.__set_TYPE_ORDER(format::TypeDefinedOrder());
    metadata_.__set_column_orders(std::vector<format::ColumnOrder>(leaves, order));
  }

  format::FileMetaData& metadata() { return metadata_; }
  format::ColumnChunk& chunk() { return chunk_; }

  std::string Finish() {
    int children = 0;
    if (!metadata_.schema[0].num_children) children = static_cast<int>(metadata_.schema.size()) - 1;
    if (children > 0) metadata_.schema[0].__set_num_children(children);
    Buffer footer;
    Status status = SerializeFileMetaData(metadata_, &footer);
    if (!status.ok()) return "";
    std::string file = bytes_ + ToString(footer);
    const uint32_t length = static_cast<uint32_t>(footer.size());
    file.append(reinterpret_cast<const char*>(&length), 4);
    return file + "PAR1";
  }

 private:
  std::string Compressed(const std::string& bytes) const {
    Buffer out;
    Status status =
        Compress(chunk_.meta_data.codec, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &out);
    return status.ok() ? ToString(out) : bytes;
  }

  void AppendPage(format::PageHeader header, const std::string& uncompressed, const std::string& body) {
    AppendRawPage(std::move(header), uncompressed, Compressed(body));
  }

  void AppendRawPage(format::PageHeader header, const std::string& uncompressed, const std::string& stored) {
    header.uncompressed_page_size = static_cast<int32_t>(uncompressed.size());
    header.compressed_page_size = static_cast<int32_t>(stored.size());
    Buffer serialized;
    Status status = SerializePageHeader(header, &serialized);
    if (!status.ok()) return;
    bytes_ += ToString(serialized) + stored;
  }

  format::FileMetaData metadata_;  // Footer being assembled.
  std::string bytes_;              // File so far, from the leading magic.
  format::ColumnChunk chunk_;      // Chunk being written.
  size_t chunk_start_ = 0;         // Its first byte.
};

// Reads a whole in-memory file into a Table.
inline Result<Table> ReadBytes(const std::string& bytes, const ParquetReadOptions& options = {},
                               const std::string& name = "test.parquet") {
  auto file = ParquetFileReader::Open(MakeMemorySource(name, bytes), options.limits);
  if (!file.ok()) return file.status();
  auto reader = ParquetReader::Open(std::move(*file), options);
  if (!reader.ok()) return reader.status();
  return ReadAll(reader->get());
}

inline format::SchemaElement LeafElement(const std::string& name, format::Type::type type,
                                         format::FieldRepetitionType::type repetition) {
  format::SchemaElement leaf;
  leaf.name = name;
  leaf.__set_type(type);
  leaf.__set_repetition_type(repetition);
  return leaf;
}

inline format::SchemaElement GroupElement(const std::string& name, int children,
                                          format::FieldRepetitionType::type repetition) {
  format::SchemaElement group;
  group.name = name;
  group.__set_num_children(children);
  group.__set_repetition_type(repetition);
  return group;
}

}  // namespace kiln::parquet::testing
