// ParquetWriter round trips, checked with this layer's decoders alone: each
// test writes a table, then walks every page of every column chunk (page
// headers, codecs, RLE levels, PLAIN and dictionary values) and compares the
// rows it rebuilds with the table's, as text. The walk also checks the
// page-level invariants readers rely on: the dictionary page comes first,
// pages start at row boundaries, v2 row and null counts are right, and the
// chunk sizes in the metadata match the bytes.

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/core/file.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/parquet/file_writer.h"
#include "kiln/parquet/metadata.h"
#include "kiln/parquet/plain.h"
#include "kiln/parquet/rle_bit_packed.h"
#include "kiln/parquet/schema_export.h"
#include "testing/temp_dir.h"

namespace kiln::parquet {
namespace {

using format::CompressionCodec;
using format::Encoding;
using format::PageType;
using format::Type;

// ---------------------------------------------------------------------------
// Text forms of values, shared by the table side and the decoded side.

std::string Int128Text(__int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  auto magnitude = negative ? -static_cast<unsigned __int128>(value) : static_cast<unsigned __int128>(value);
  std::string digits;
  for (; magnitude > 0; magnitude /= 10) digits.insert(digits.begin(), static_cast<char>('0' + magnitude % 10));
  return (negative ? "-" : "") + digits;
}

template <typename T>
T Load(std::string_view bytes) {
  T value;
  std::memcpy(&value, bytes.data(), sizeof(T));
  return value;
}

// A decoded physical value (its PLAIN bytes) as text, by the Kiln type.
std::string PhysicalText(const DataType& type, std::string_view bytes) {
  switch (type.id()) {
    case TypeId::kBool: return bytes[0] ? "true" : "false";
    case TypeId::kInt32:
    case TypeId::kDate32: return std::to_string(Load<int32_t>(bytes));
    case TypeId::kUInt32:
    case TypeId::kFloat32: return std::to_string(Load<uint32_t>(bytes));  // Floats by their bits.
    case TypeId::kInt64:
    case TypeId::kTimestamp: return std::to_string(Load<int64_t>(bytes));
    case TypeId::kUInt64:
    case TypeId::kFloat64: return std::to_string(Load<uint64_t>(bytes));
    case TypeId::kString:
    case TypeId::kBinary: return "'" + std::string(bytes) + "'";
    case TypeId::kDecimal: {
      if (bytes.size() == 4) return Int128Text(Load<int32_t>(bytes));
      if (bytes.size() == 8) return Int128Text(Load<int64_t>(bytes));
      __int128 value = static_cast<int8_t>(bytes[0]);  // Sign-extend the big-endian bytes.
      for (size_t i = 1; i < bytes.size(); ++i) value = value * 256 + static_cast<uint8_t>(bytes[i]);
      return Int128Text(value);
    }
    case TypeId::kList: break;
  }
  return "?";
}

template <typename Bits, typename T>
Bits BitsOf(T value) {
  Bits bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

// The same text for a non-null value of a Kiln column.
std::string ValueText(const Column& column, int64_t row) {
  switch (column.type().id()) {
    case TypeId::kBool: return column.Value<uint8_t>(row) ? "true" : "false";
    case TypeId::kInt32:
    case TypeId::kDate32: return std::to_string(column.Value<int32_t>(row));
    case TypeId::kUInt32: return std::to_string(column.Value<uint32_t>(row));
    case TypeId::kFloat32: return std::to_string(BitsOf<uint32_t>(column.Value<float>(row)));
    case TypeId::kInt64:
    case TypeId::kTimestamp: return std::to_string(column.Value<int64_t>(row));
    case TypeId::kUInt64: return std::to_string(column.Value<uint64_t>(row));
    case TypeId::kFloat64: return std::to_string(BitsOf<uint64_t>(column.Value<double>(row)));
    case TypeId::kString:
    case TypeId::kBinary: return "'" + std::string(column.GetString(row)) + "'";
    case TypeId::kDecimal: return Int128Text(column.Value<__int128>(row));
    case TypeId::kList: break;
  }
  return "?";
}

std::string RowText(const Column& column, int64_t row) {
  if (column.IsNull(row)) return "null";
  if (!column.type().is_list()) return ValueText(column, row);
  std::string text = "[";
  for (int64_t i = column.ListBegin(row); i < column.ListEnd(row); ++i) {
    if (i > column.ListBegin(row)) text += ",";
    text += column.child().IsNull(i) ? "null" : ValueText(column.child(), i);
  }
  return text + "]";
}

// Every row of every column of `table`, as text: [column][row].
std::vector<std::vector<std::string>> TableText(const Table& table) {
  std::vector<std::vector<std::string>> columns(table.num_columns());
  for (const auto& batch : table.batches()) {
    for (int c = 0; c < batch->num_columns(); ++c) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) columns[c].push_back(RowText(batch->column(c), row));
    }
  }
  return columns;
}

// ---------------------------------------------------------------------------
// The decoder.

// What a chunk's pages looked like.
struct ChunkReport {
  int dictionary_pages = 0;
  std::vector<Encoding::type> data_page_encodings;  // In page order.
  std::vector<int64_t> page_rows;                   // Rows starting in each data page.
};

struct DecodedFile {
  format::FileMetaData metadata;
  std::vector<std::vector<std::string>> columns;  // [column][row] as text.
  std::vector<std::vector<ChunkReport>> chunks;   // [row group][column].
};

// PLAIN values as their bytes, one string each.
Status DecodePlainValues(const LeafLayout& leaf, const uint8_t* data, size_t size, int64_t count,
                         std::vector<std::string>* out, size_t* consumed) {
  if (leaf.physical_type == Type::BOOLEAN) {
    std::vector<uint8_t> values(count);
    Status status = DecodePlainBoolean(data, size, count, values.data(), consumed);
    for (uint8_t value : values) out->push_back(std::string(1, static_cast<char>(value)));
    return status;
  }
  if (leaf.physical_type == Type::BYTE_ARRAY) {
    Buffer offsets, bytes;
    const int64_t zero = 0;
    offsets.Append(&zero, sizeof(zero));
    Status status = DecodePlainByteArray(data, size, count, &offsets, &bytes, consumed);
    const int64_t* ends = offsets.as<int64_t>();
    for (int64_t i = 0; status.ok() && i < count; ++i) {
      out->emplace_back(reinterpret_cast<const char*>(bytes.data()) + ends[i], ends[i + 1] - ends[i]);
    }
    return status;
  }
  const int width = leaf.physical_type == Type::FIXED_LEN_BYTE_ARRAY ? leaf.type_length
                    : leaf.physical_type == Type::INT32 || leaf.physical_type == Type::FLOAT ? 4
                                                                                              : 8;
  std::string values(count * width, '\0');
  Status status = DecodePlainFixed(data, size, count, width, values.data(), consumed);
  for (int64_t i = 0; status.ok() && i < count; ++i) out->push_back(values.substr(i * width, width));
  return status;
}

// Levels, and values of one chunk in level order.
struct ChunkValues {
  std::vector<uint16_t> definition;
  std::vector<uint16_t> repetition;
  std::vector<std::string> values;  // Non-null values only.
};

Status DecodeLevels(const uint8_t* data, size_t size, int max_level, int64_t count, bool length_prefixed,
                    std::vector<uint16_t>* out, size_t* consumed) {
  const size_t at = out->size();
  out->resize(at + count, 0);
  *consumed = 0;
  if (max_level == 0) return Status::OK();
  RleBitPackedDecoder decoder;
  const int width = 32 - __builtin_clz(static_cast<unsigned>(max_level));
  if (length_prefixed) {
    Status status = decoder.ResetLengthPrefixed(data, size, width, consumed);
    if (!status.ok()) return status;
  } else {
    decoder.Reset(data, size, width);
    *consumed = size;
  }
  if (decoder.Decode(out->data() + at, static_cast<int>(count)) != count) return decoder.status();
  return Status::OK();
}

// Decodes one data page's values (after its levels) into `chunk`.
Status DecodePageValues(const LeafLayout& leaf, Encoding::type encoding, const std::vector<std::string>& dictionary,
                        const uint8_t* data, size_t size, int64_t count, ChunkValues* chunk) {
  if (encoding == Encoding::PLAIN) {
    size_t consumed = 0;
    Status status = DecodePlainValues(leaf, data, size, count, &chunk->values, &consumed);
    if (status.ok() && consumed != size) return Status::Corruption("PLAIN values leave bytes unread");
    return status;
  }
  if (encoding != Encoding::RLE_DICTIONARY) return Status::Corruption("unexpected encoding");
  if (dictionary.empty()) return Status::Corruption("dictionary-encoded page without a dictionary");
  if (size < 1) return Status::Corruption("missing index bit width");
  RleBitPackedDecoder decoder(data + 1, size - 1, data[0]);
  std::vector<uint32_t> indices(count);
  if (decoder.Decode(indices.data(), static_cast<int>(count)) != count) return decoder.status();
  for (uint32_t index : indices) {
    if (index >= dictionary.size()) return Status::Corruption("dictionary index out of range");
    chunk->values.push_back(dictionary[index]);
  }
  return Status::OK();
}

Status Uncompress(CompressionCodec::type codec, const uint8_t* data, size_t size, size_t uncompressed,
                  std::vector<uint8_t>* out) {
  out->resize(uncompressed);
  return Decompress(codec, data, size, out->data(), uncompressed);
}

// Decodes one data page (v1 or v2) into `chunk` and notes it in `report`.
Status DecodeDataPage(const LeafLayout& leaf, const format::PageHeader& header, const uint8_t* body,
                      CompressionCodec::type codec, const std::vector<std::string>& dictionary, ChunkValues* chunk,
                      ChunkReport* report) {
  const bool v2 = header.type == PageType::DATA_PAGE_V2;
  const int64_t levels = v2 ? header.data_page_header_v2.num_values : header.data_page_header.num_values;
  const Encoding::type encoding = v2 ? header.data_page_header_v2.encoding : header.data_page_header.encoding;
  std::vector<uint8_t> plain;
  const uint8_t* pos = body;
  size_t left = header.compressed_page_size;
  if (!v2) {
    Status status = Uncompress(codec, body, left, header.uncompressed_page_size, &plain);
    if (!status.ok()) return status;
    pos = plain.data();
    left = plain.size();
  }
  const size_t first_level = chunk->definition.size();
  size_t used = 0;
  const size_t repetition_bytes = v2 ? header.data_page_header_v2.repetition_levels_byte_length : left;
  Status status = DecodeLevels(pos, repetition_bytes, leaf.max_repetition_level, levels, !v2, &chunk->repetition, &used);
  if (!status.ok()) return status;
  pos += used, left -= used;
  const size_t definition_bytes = v2 ? header.data_page_header_v2.definition_levels_byte_length : left;
  status = DecodeLevels(pos, definition_bytes, leaf.max_definition_level, levels, !v2, &chunk->definition, &used);
  if (!status.ok()) return status;
  pos += used, left -= used;
  if (v2 && header.data_page_header_v2.is_compressed) {
    const size_t levels_size = header.compressed_page_size - left;
    status = Uncompress(codec, pos, left, header.uncompressed_page_size - levels_size, &plain);
    if (!status.ok()) return status;
    pos = plain.data();
    left = plain.size();
  }
  int64_t values = 0, rows = 0;
  for (size_t i = first_level; i < chunk->definition.size(); ++i) {
    values += chunk->definition[i] == leaf.max_definition_level;
    rows += chunk->repetition[i] == 0;
  }
  if (levels > 0 && chunk->repetition[first_level] != 0) return Status::Corruption("page starts inside a row");
  if (v2 && (header.data_page_header_v2.num_rows != rows || header.data_page_header_v2.num_nulls != levels - values)) {
    return Status::Corruption("v2 page row or null count is wrong");
  }
  report->data_page_encodings.push_back(encoding);
  report->page_rows.push_back(rows);
  return DecodePageValues(leaf, encoding, dictionary, pos, left, values, chunk);
}

// Rebuilds rows from levels and values and appends their text.
void AppendRows(const LeafLayout& leaf, const ChunkValues& chunk, std::vector<std::string>* rows) {
  size_t value = 0;
  const int present = leaf.nullable ? 1 : 0;  // Definition level of an empty list.
  for (size_t i = 0; i < chunk.definition.size(); ++i) {
    const int definition = chunk.definition[i];
    const std::string text = definition == leaf.max_definition_level
                                 ? PhysicalText(leaf.value_type, chunk.values[value++])
                                 : "null";
    if (!leaf.is_list) {
      rows->push_back(text);
    } else if (chunk.repetition[i] == 0) {
      rows->push_back(definition < present ? "null" : definition == present ? "[]" : "[" + text + "]");
    } else {
      rows->back().insert(rows->back().size() - 1, "," + text);
    }
  }
}

Status DecodeChunk(const std::string& file, const LeafLayout& leaf, const format::ColumnChunk& column,
                   std::vector<std::string>* rows, ChunkReport* report) {
  const format::ColumnMetaData& meta = column.meta_data;
  const bool has_dictionary = meta.__isset.dictionary_page_offset;
  if (has_dictionary && meta.dictionary_page_offset >= meta.data_page_offset) {
    return Status::Corruption("dictionary page after the first data page");
  }
  int64_t pos = has_dictionary ? meta.dictionary_page_offset : meta.data_page_offset;
  const int64_t end = pos + meta.total_compressed_size;
  if (end > static_cast<int64_t>(file.size())) return Status::Corruption("chunk runs past the file");
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(file.data());
  std::vector<std::string> dictionary;
  ChunkValues chunk;
  while (pos < end) {
    format::PageHeader header;
    size_t header_size = 0;
    Status status = ParsePageHeader(bytes + pos, end - pos, &header, &header_size);
    if (!status.ok()) return status;
    const uint8_t* body = bytes + pos + header_size;
    if (header.type == PageType::DICTIONARY_PAGE) {
      if (!report->data_page_encodings.empty() || report->dictionary_pages > 0) {
        return Status::Corruption("dictionary page is not the chunk's first page");
      }
      ++report->dictionary_pages;
      std::vector<uint8_t> plain;
      size_t consumed = 0;
      status = Uncompress(meta.codec, body, header.compressed_page_size, header.uncompressed_page_size, &plain);
      if (status.ok()) {
        status = DecodePlainValues(leaf, plain.data(), plain.size(), header.dictionary_page_header.num_values,
                                   &dictionary, &consumed);
      }
    } else {
      status = DecodeDataPage(leaf, header, body, meta.codec, dictionary, &chunk, report);
    }
    if (!status.ok()) return status;
    pos += header_size + header.compressed_page_size;
  }
  if (pos != end) return Status::Corruption("pages overrun total_compressed_size");
  if (static_cast<int64_t>(chunk.definition.size()) != meta.num_values) {
    return Status::Corruption("num_values does not match the pages");
  }
  AppendRows(leaf, chunk, rows);
  return Status::OK();
}

Status DecodeFile(const std::string& path, const Schema& schema, DecodedFile* out) {
  auto file = ReadFileToString(path);
  if (!file.ok()) return file.status();
  const std::string& bytes = *file;
  if (bytes.size() < 12 || bytes.compare(0, 4, "PAR1") != 0) return Status::Corruption("no leading magic");
  uint32_t footer_size = 0;
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  Status status = ParseFooterTail(data + bytes.size() - kFooterTailSize, bytes.size(), &footer_size);
  if (!status.ok()) return status;
  status = ParseFileMetaData(data + bytes.size() - kFooterTailSize - footer_size, footer_size, &out->metadata);
  if (!status.ok()) return status;
  auto exported = ExportSchema(schema);
  if (!exported.ok()) return exported.status();
  if (!(out->metadata.schema == exported->elements)) return Status::Corruption("footer schema differs");
  out->columns.assign(schema.num_fields(), {});
  int64_t rows = 0;
  for (const format::RowGroup& group : out->metadata.row_groups) {
    out->chunks.emplace_back(schema.num_fields());
    for (int c = 0; c < schema.num_fields(); ++c) {
      status = DecodeChunk(bytes, exported->leaves[c], group.columns[c], &out->columns[c], &out->chunks.back()[c]);
      if (!status.ok()) return status.WithContext("row group " + std::to_string(out->chunks.size() - 1) + " column " + schema.field(c).name);
    }
    rows += group.num_rows;
  }
  if (rows != out->metadata.num_rows) return Status::Corruption("row groups do not add up to num_rows");
  return Status::OK();
}

// ---------------------------------------------------------------------------
// Tables.

class Values {
 public:
  explicit Values(uint64_t seed) : rng_(seed) {}
  uint64_t Bits() { return rng_(); }
  int64_t Uniform(int64_t low, int64_t high) { return std::uniform_int_distribution<int64_t>(low, high)(rng_); }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // Small values (dictionary-friendly) or any bits.
  template <typename T>
  T Fixed(bool few) {
    if (few) return static_cast<T>(Uniform(0, 9));
    T value;
    const uint64_t bits = Bits();
    std::memcpy(&value, &bits, sizeof(T));
    return value;
  }

  void Append(const DataType& type, bool few, ColumnBuilder* builder) {
    switch (type.id()) {
      case TypeId::kBool: builder->Append<uint8_t>(Bits() & 1); return;
      case TypeId::kInt32:
      case TypeId::kDate32: builder->Append(Fixed<int32_t>(few)); return;
      case TypeId::kUInt32: builder->Append(Fixed<uint32_t>(few)); return;
      case TypeId::kInt64:
      case TypeId::kTimestamp: builder->Append(Fixed<int64_t>(few)); return;
      case TypeId::kUInt64: builder->Append(Fixed<uint64_t>(few)); return;
      case TypeId::kFloat32: builder->Append(Fixed<float>(few)); return;
      case TypeId::kFloat64: builder->Append(Fixed<double>(few)); return;
      case TypeId::kString:
      case TypeId::kBinary: {
        std::string text(Uniform(0, few ? 1 : 20), '\0');
        for (char& c : text) c = static_cast<char>(few ? 'a' + Uniform(0, 2) : Bits());
        builder->AppendString(text);
        return;
      }
      case TypeId::kDecimal: {
        __int128 limit = 1;
        for (int i = 0; i < type.precision(); ++i) limit *= 10;
        const __int128 wide = ((static_cast<__int128>(Bits() >> 1) << 64) | Bits()) % limit;
        builder->Append(few ? static_cast<__int128>(Uniform(-5, 5)) : Chance(0.5) ? wide : -wide);
        return;
      }
      case TypeId::kList: {
        const int64_t length = Uniform(0, 5);
        for (int64_t i = 0; i < length; ++i) {
          if (Chance(0.2)) {
            builder->child().AppendNull();
          } else {
            Append(type.value_type(), few, &builder->child());
          }
        }
        builder->AppendList();
        return;
      }
    }
  }

 private:
  std::mt19937_64 rng_;  // Seeded per table.
};

SchemaPtr MakeSchema(const std::vector<Field>& fields) { return std::make_shared<Schema>(fields); }

std::vector<Field> EveryTypeFields() {
  const std::vector<DataType> types = {DataType::Bool(),    DataType::Int32(),       DataType::Int64(),
                                       DataType::UInt32(),  DataType::UInt64(),      DataType::Float32(),
                                       DataType::Float64(), DataType::String(),      DataType::Binary(),
                                       DataType::Date32(),  DataType::Timestamp(),   DataType::Decimal(9, 3),
                                       DataType::Decimal(18, 2), DataType::Decimal(38, 5), DataType::Decimal(25, 0)};
  std::vector<Field> fields;
  for (const DataType& type : types) {
    fields.push_back({type.ToString(), type, true});
    fields.push_back({"list " + type.ToString(), DataType::List(type), true});
    fields.push_back({type.ToString() + " not null", type, false});
    fields.push_back({"list not null " + type.ToString(), DataType::List(type), false});
  }
  return fields;
}

// Rows in batches of varied sizes, some of them slices. Column c has nulls
// in one of four patterns (none, some, most, all) and few or many values.
Table RandomTable(const SchemaPtr& schema, int64_t rows, uint64_t seed) {
  Values values(seed);
  Table table(schema);
  for (int64_t done = 0; done < rows;) {
    const int64_t batch_rows = std::min(rows - done, values.Uniform(1, 900));
    const int64_t lead = values.Chance(0.3) ? values.Uniform(1, 9) : 0;
    std::vector<std::shared_ptr<Column>> columns;
    for (int c = 0; c < schema->num_fields(); ++c) {
      const Field& field = schema->field(c);
      const double null_rate = field.nullable ? std::vector<double>{0, 0.1, 0.8, 1}[(c + seed) % 4] : 0;
      ColumnBuilder builder(field.type);
      for (int64_t row = 0; row < lead + batch_rows; ++row) {
        if (values.Chance(null_rate)) {
          builder.AppendNull();
        } else {
          values.Append(field.type, (c / 4 + seed) % 2 == 0, &builder);
        }
      }
      auto column = builder.Finish();
      columns.push_back(lead > 0 ? column->Slice(lead, batch_rows) : column);
    }
    auto batch = RecordBatch::Make(schema, std::move(columns));
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    table.AddBatch(*batch);
    done += batch_rows;
  }
  return table;
}

// Writes `table`, decodes the file and checks every row of every column.
DecodedFile WriteAndDecode(const Table& table, const ParquetWriteOptions& options) {
  testing::TempDir dir;
  const std::string path = dir.File("t.parquet");
  DecodedFile decoded;
  Status status = WriteParquet(path, table, options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  if (!status.ok()) return decoded;
  status = DecodeFile(path, *table.schema(), &decoded);
  EXPECT_TRUE(status.ok()) << status.ToString();
  const auto expected = TableText(table);
  for (int c = 0; c < table.num_columns() && status.ok(); ++c) {
    EXPECT_EQ(decoded.columns[c], expected[c]) << "column " << table.schema()->field(c).name;
  }
  return decoded;
}

// ---------------------------------------------------------------------------
// Tests.

TEST(ParquetWriterRoundTrip, EveryTypeWithEveryCodecAndPageVersion) {
  const SchemaPtr schema = MakeSchema(EveryTypeFields());
  const Table table = RandomTable(schema, 3000, 1);
  for (auto codec : {CompressionCodec::UNCOMPRESSED, CompressionCodec::SNAPPY, CompressionCodec::GZIP,
                     CompressionCodec::LZ4_RAW, CompressionCodec::BROTLI, CompressionCodec::ZSTD}) {
    for (bool v2 : {false, true}) {
      SCOPED_TRACE(CodecName(codec) + (v2 ? " v2" : " v1"));
      ParquetWriteOptions options;
      options.codec = codec;
      options.data_page_v2 = v2;
      const DecodedFile decoded = WriteAndDecode(table, options);
      ASSERT_EQ(decoded.metadata.row_groups.size(), 1u);
      EXPECT_EQ(decoded.metadata.row_groups[0].columns[0].meta_data.codec, codec);
    }
  }
}

TEST(ParquetWriterRoundTrip, EveryTypeWithTinyPagesSmallRowGroupsAndNoDictionary) {
  const SchemaPtr schema = MakeSchema(EveryTypeFields());
  for (uint64_t seed : {2, 3}) {
    const Table table = RandomTable(schema, 2500, seed);
    ParquetWriteOptions options;
    options.page_bytes = 64;
    options.row_group_rows = 700;
    options.data_page_v2 = seed % 2 == 0;
    WriteAndDecode(table, options);
    options.enable_dictionary = false;
    options.page_bytes = 1000;
    const DecodedFile plain = WriteAndDecode(table, options);
    for (const auto& group : plain.chunks) {
      for (const ChunkReport& chunk : group) {
        EXPECT_EQ(chunk.dictionary_pages, 0);
        for (auto encoding : chunk.data_page_encodings) EXPECT_EQ(encoding, Encoding::PLAIN);
      }
    }
  }
}

TEST(ParquetWriterRoundTrip, RowGroupsAndPagesSplitAtTheConfiguredSizes) {
  const SchemaPtr schema = MakeSchema({{"x", DataType::Int64(), false}, {"l", DataType::List(DataType::Int32()), true}});
  const Table table = RandomTable(schema, 10'000, 4);
  ParquetWriteOptions options;
  options.row_group_rows = 3000;
  options.page_bytes = 2048;
  options.enable_dictionary = false;
  const DecodedFile decoded = WriteAndDecode(table, options);
  ASSERT_EQ(decoded.metadata.row_groups.size(), 4u);
  for (size_t g = 0; g < 4; ++g) {
    EXPECT_EQ(decoded.metadata.row_groups[g].num_rows, g < 3 ? 3000 : 1000);
    const ChunkReport& flat = decoded.chunks[g][0];
    int64_t rows = 0;
    for (int64_t page_rows : flat.page_rows) rows += page_rows;
    EXPECT_EQ(rows, decoded.metadata.row_groups[g].num_rows);
    // 8-byte values and 2 KiB pages: a page closes once it holds 256 rows,
    // after the step (at most 256 rows) that reached them.
    EXPECT_GE(flat.page_rows.size(), decoded.metadata.row_groups[g].num_rows / 512);
    EXPECT_LE(flat.page_rows.size(), decoded.metadata.row_groups[g].num_rows / 256 + 1);
    EXPECT_GT(decoded.chunks[g][1].page_rows.size(), 1u);
  }
}

TEST(ParquetWriterRoundTrip, DictionaryFallsBackToPlainWhenItOutgrowsItsLimit) {
  const SchemaPtr schema = MakeSchema({{"k", DataType::UInt32(), true}, {"s", DataType::String(), true}});
  ColumnBuilder keys(DataType::UInt32()), strings(DataType::String());
  for (uint32_t row = 0; row < 20'000; ++row) {
    const uint32_t value = row < 8000 ? row % 5 : 0xF0000000u + row;
    keys.Append(value);
    strings.AppendString("s" + std::to_string(value));
  }
  const Table table(schema, {std::make_shared<RecordBatch>(schema, std::vector{keys.Finish(), strings.Finish()}, 20'000)});
  ParquetWriteOptions options;
  options.dictionary_limit_bytes = 10'000;
  options.page_bytes = 4096;
  const DecodedFile decoded = WriteAndDecode(table, options);
  for (int c = 0; c < 2; ++c) {
    const ChunkReport& chunk = decoded.chunks[0][c];
    EXPECT_EQ(chunk.dictionary_pages, 1);
    ASSERT_FALSE(chunk.data_page_encodings.empty());
    EXPECT_EQ(chunk.data_page_encodings.front(), Encoding::RLE_DICTIONARY);
    EXPECT_EQ(chunk.data_page_encodings.back(), Encoding::PLAIN);
    // Once PLAIN, always PLAIN.
    auto first_plain = std::find(chunk.data_page_encodings.begin(), chunk.data_page_encodings.end(), Encoding::PLAIN);
    EXPECT_TRUE(std::all_of(first_plain, chunk.data_page_encodings.end(), [](auto e) { return e == Encoding::PLAIN; }));
    const auto& stats = decoded.metadata.row_groups[0].columns[c].meta_data.encoding_stats;
    int dictionary_pages = 0;
    for (const auto& entry : stats) {
      if (entry.page_type == PageType::DICTIONARY_PAGE) dictionary_pages += entry.count;
    }
    EXPECT_EQ(dictionary_pages, 1);
  }
}

TEST(ParquetWriterRoundTrip, StringsEmptyAndLongerThan64KiB) {
  const SchemaPtr schema = MakeSchema({{"s", DataType::String(), true}, {"b", DataType::List(DataType::Binary()), true}});
  ColumnBuilder strings(DataType::String()), lists(DataType::List(DataType::Binary()));
  for (int row = 0; row < 40; ++row) {
    strings.AppendString(row % 3 == 0 ? std::string() : std::string(70'000 + row, static_cast<char>('a' + row % 26)));
    lists.child().AppendString(std::string(row % 2 ? 0 : 100'000, '\xff'));
    lists.child().AppendString("");
    lists.AppendList();
  }
  strings.AppendNull();
  lists.AppendNull();
  const Table table(schema, {std::make_shared<RecordBatch>(schema, std::vector{strings.Finish(), lists.Finish()}, 41)});
  for (bool dictionary : {true, false}) {
    ParquetWriteOptions options;
    options.enable_dictionary = dictionary;
    options.page_bytes = 100'000;
    const DecodedFile decoded = WriteAndDecode(table, options);
    EXPECT_GT(decoded.chunks[0][0].page_rows.size(), 5u);  // Pages hold a few long strings each.
  }
}

TEST(ParquetWriterRoundTrip, ListsWithEmptyAndNullListsAndNullElements) {
  const DataType type = DataType::List(DataType::Int64());
  const SchemaPtr schema = MakeSchema({{"nullable", type, true}, {"required", type, false}});
  ColumnBuilder nullable(type), required(type);
  for (int row = 0; row < 5000; ++row) {
    for (ColumnBuilder* builder : {&nullable, &required}) {
      if (builder == &nullable && row % 7 == 0) {
        builder->AppendNull();
        continue;
      }
      // Row 100 holds 10 000 elements: longer than a step and a page.
      const int length = row == 100 ? 10'000 : row % 4;
      for (int i = 0; i < length; ++i) {
        if ((row + i) % 5 == 0) {
          builder->child().AppendNull();
        } else {
          builder->child().Append<int64_t>(row * 10 + i);
        }
      }
      builder->AppendList();
    }
  }
  const Table table(schema, {std::make_shared<RecordBatch>(schema, std::vector{nullable.Finish(), required.Finish()}, 5000)});
  ParquetWriteOptions options;
  options.page_bytes = 4096;
  for (bool v2 : {false, true}) {
    options.data_page_v2 = v2;
    WriteAndDecode(table, options);
  }
}

TEST(ParquetWriterRoundTrip, DecimalsOfEveryStorage) {
  std::vector<Field> fields;
  for (int precision : {1, 9, 10, 18, 19, 38}) {
    fields.push_back({"d" + std::to_string(precision), DataType::Decimal(precision, precision / 2), true});
  }
  const SchemaPtr schema = MakeSchema(fields);
  std::vector<std::shared_ptr<Column>> columns;
  for (const Field& field : fields) {
    __int128 largest = 1;
    for (int i = 0; i < field.type.precision(); ++i) largest *= 10;
    largest -= 1;
    ColumnBuilder builder(field.type);
    for (__int128 value : {largest, -largest, __int128{0}, __int128{1}, __int128{-1}, largest / 3}) builder.Append(value);
    builder.AppendNull();
    columns.push_back(builder.Finish());
  }
  const Table table(schema, {std::make_shared<RecordBatch>(schema, columns, 7)});
  const DecodedFile decoded = WriteAndDecode(table, {});
  const std::vector<Type::type> physical = {Type::INT32, Type::INT32, Type::INT64, Type::INT64,
                                            Type::FIXED_LEN_BYTE_ARRAY, Type::FIXED_LEN_BYTE_ARRAY};
  for (size_t c = 0; c < physical.size(); ++c) {
    EXPECT_EQ(decoded.metadata.row_groups[0].columns[c].meta_data.type, physical[c]);
  }
}

TEST(ParquetWriterRoundTrip, AllNullColumnsNeedNoDictionary) {
  const SchemaPtr schema = MakeSchema({{"x", DataType::Float64(), true}, {"l", DataType::List(DataType::String()), true}});
  ColumnBuilder x(DataType::Float64()), l(DataType::List(DataType::String()));
  for (int row = 0; row < 10'000; ++row) {
    x.AppendNull();
    l.AppendNull();
  }
  const Table table(schema, {std::make_shared<RecordBatch>(schema, std::vector{x.Finish(), l.Finish()}, 10'000)});
  const DecodedFile decoded = WriteAndDecode(table, {});
  for (int c = 0; c < 2; ++c) {
    EXPECT_EQ(decoded.chunks[0][c].dictionary_pages, 0);
    EXPECT_EQ(decoded.metadata.row_groups[0].columns[c].meta_data.statistics.null_count, 10'000);
  }
}

TEST(ParquetWriterRoundTrip, BooleansPackAcrossSteps) {
  const SchemaPtr schema = MakeSchema({{"b", DataType::Bool(), false}, {"n", DataType::Bool(), true}});
  ColumnBuilder b(DataType::Bool()), n(DataType::Bool());
  for (int row = 0; row < 9999; ++row) {
    b.Append<uint8_t>(row % 3 == 0 ? 7 : 0);  // Any non-zero byte is true.
    if (row % 11 == 0) {
      n.AppendNull();
    } else {
      n.Append<uint8_t>(row % 2);
    }
  }
  const Table table(schema, {std::make_shared<RecordBatch>(schema, std::vector{b.Finish(), n.Finish()}, 9999)});
  const DecodedFile decoded = WriteAndDecode(table, {});
  EXPECT_EQ(decoded.columns[0][3], "true");
  EXPECT_EQ(decoded.chunks[0][0].data_page_encodings, std::vector<Encoding::type>{Encoding::PLAIN});
}

TEST(ParquetWriterRoundTrip, KilnsReaderReturnsTheWrittenTable) {
  const SchemaPtr schema = MakeSchema(EveryTypeFields());
  const Table table = RandomTable(schema, 4000, 5);
  ParquetWriteOptions options;
  options.row_group_rows = 1500;
  options.page_bytes = 3000;
  options.dictionary_limit_bytes = 2000;
  for (bool v2 : {false, true}) {
    options.data_page_v2 = v2;
    testing::TempDir dir;
    ASSERT_TRUE(WriteParquet(dir.File("t.parquet"), table, options).ok());
    auto read = ReadParquet(dir.File("t.parquet"));
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_EQ(read->schema()->ToString(), schema->ToString());
    EXPECT_EQ(TableText(*read), TableText(table));
  }
}

TEST(ParquetWriterRoundTrip, ZeroRowTableHasSchemaAndNoRowGroups) {
  const SchemaPtr schema = MakeSchema(EveryTypeFields());
  const DecodedFile decoded = WriteAndDecode(Table(schema), {});
  EXPECT_EQ(decoded.metadata.num_rows, 0);
  EXPECT_TRUE(decoded.metadata.row_groups.empty());
  // The root, then per type two flat leaves and two three-element lists.
  EXPECT_EQ(decoded.metadata.schema.size(), 1 + 15 * (2 * 1 + 2 * 3u));
}

}  // namespace
}  // namespace kiln::parquet
