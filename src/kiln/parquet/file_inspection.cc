#include "kiln/parquet/file_inspection.h"

#include <filesystem>
#include <system_error>

#include "kiln/core/value_format.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/dataset.h"

namespace kiln::parquet {

namespace {

// Longest statistics value shown, in bytes, before it is cut with "...".
constexpr size_t kMaxValueText = 48;

std::string WithThousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return value < 0 ? "-" + out : out;
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string EncodingNames(const std::vector<format::Encoding::type>& encodings) {
  std::vector<std::string> names;
  for (format::Encoding::type encoding : encodings) {
    auto found = format::_Encoding_VALUES_TO_NAMES.find(encoding);
    names.push_back(found == format::_Encoding_VALUES_TO_NAMES.end() ? std::to_string(encoding) : found->second);
  }
  return Join(names, " ");
}

// A statistics value as text: printable ASCII kept, other bytes as \xNN,
// long values cut.
std::string ValueText(const Column& value) {
  std::string raw;
  AppendValueText(&raw, value, 0);
  std::string text;
  for (size_t i = 0; i < raw.size() && text.size() < kMaxValueText; ++i) {
    const unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c >= 0x20 && c < 0x7F) {
      text.push_back(static_cast<char>(c));
    } else {
      static const char kHex[] = "0123456789abcdef";
      text += "\\x";
      text.push_back(kHex[c >> 4]);
      text.push_back(kHex[c & 15]);
    }
  }
  if (text.size() >= kMaxValueText) text += "...";
  if (value.type().is_binary_like()) return "'" + text + "'";
  return text;
}

std::string Repetition(const format::SchemaElement& element) {
  if (!element.__isset.repetition_type) return "";
  switch (element.repetition_type) {
    case format::FieldRepetitionType::REQUIRED: return "required";
    case format::FieldRepetitionType::OPTIONAL: return "optional";
    case format::FieldRepetitionType::REPEATED: return "repeated";
  }
  return "repetition " + std::to_string(element.repetition_type);
}

// The stored schema tree, indented by depth.
void DescribeStoredSchema(const format::FileMetaData& metadata, std::string* out) {
  std::vector<int> remaining;  // Children still to print at each open depth.
  for (size_t i = 0; i < metadata.schema.size(); ++i) {
    const format::SchemaElement& element = metadata.schema[i];
    while (!remaining.empty() && remaining.back() == 0) remaining.pop_back();
    if (!remaining.empty()) --remaining.back();
    *out += "  " + std::string(2 * remaining.size(), ' ') + Repetition(element) +
            (element.__isset.repetition_type ? " " : "");
    const bool group = element.__isset.num_children && element.num_children > 0;
    *out += group ? "group" : PhysicalTypeName(element.type);
    if (!group && element.type == format::Type::FIXED_LEN_BYTE_ARRAY)
      *out += "(" + std::to_string(element.type_length) + ")";
    *out += " " + element.name;
    const std::string annotation = AnnotationName(element);
    if (!annotation.empty()) *out += " (" + annotation + ")";
    *out += "\n";
    if (group) remaining.push_back(element.num_children);
  }
}

void DescribeKilnSchema(const FileSchema& schema, std::string* out) {
  for (const ImportedColumn& column : schema.columns) {
    *out += "  " + column.field.name + ": ";
    if (column.support.ok()) {
      *out += column.field.type.ToString() + (column.field.nullable ? "" : " not null") + "\n";
    } else {
      *out += "not readable (" + column.support.message() + ")\n";
    }
  }
}

// The Kiln column each leaf belongs to, or -1 when that column is unsupported.
std::vector<int> SupportedColumnOfLeaf(const FileSchema& schema) {
  std::vector<int> owner(schema.num_leaves, -1);
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    const ImportedColumn& column = schema.columns[c];
    if (column.support.ok()) owner[column.descriptor.leaf_index] = static_cast<int>(c);
  }
  return owner;
}

void DescribeStatistics(const ChunkStatistics& statistics, std::string* out) {
  if (statistics.min != nullptr) {
    *out += ", min " + ValueText(*statistics.min) + ", max " + ValueText(*statistics.max);
    if (!statistics.exact) *out += " (bounds)";
  }
  if (statistics.has_null_count) *out += ", nulls " + WithThousands(statistics.null_count);
}

void DescribeRowGroup(const ParquetFileReader& file, int index, const std::vector<int>& owner, std::string* out) {
  const format::RowGroup& row_group = file.metadata().row_groups[index];
  *out += "row group " + std::to_string(index) + ": " + WithThousands(row_group.num_rows) + " rows, " +
          WithThousands(row_group.total_byte_size) + " bytes\n";
  for (size_t leaf = 0; leaf < row_group.columns.size(); ++leaf) {
    const format::ColumnChunk& chunk = row_group.columns[leaf];
    if (!chunk.__isset.meta_data) {
      *out += "  leaf " + std::to_string(leaf) + ": no metadata (encrypted?)\n";
      continue;
    }
    const format::ColumnMetaData& metadata = chunk.meta_data;
    *out += "  " + Join(metadata.path_in_schema, ".") + ": " + PhysicalTypeName(metadata.type) + " " +
            CodecName(metadata.codec) + ", " + EncodingNames(metadata.encodings) + ", " +
            WithThousands(metadata.num_values) + " values, " + WithThousands(metadata.total_compressed_size) +
            " bytes (" + WithThousands(metadata.total_uncompressed_size) + " uncompressed)";
    if (leaf < owner.size() && owner[leaf] >= 0) DescribeStatistics(file.Statistics(index, owner[leaf]), out);
    *out += "\n";
  }
}

std::string DescribeDirectory(const std::string& path, const std::vector<std::string>& files) {
  std::string out = "dataset: " + path + " (" + std::to_string(files.size()) + " files)\n";
  for (const std::string& file : files) {
    out += "  " + std::filesystem::path(file).lexically_relative(path).string() + "\n";
  }
  return out;
}

}  // namespace

std::string DescribeParquetFile(const ParquetFileReader& file) {
  const format::FileMetaData& metadata = file.metadata();
  std::string out = "file: " + file.name() + " (" + WithThousands(file.file_size()) + " bytes)\n";
  if (metadata.__isset.created_by) out += "created by: " + metadata.created_by + "\n";
  out += "format version: " + std::to_string(metadata.version) + "\n";
  out += "rows: " + WithThousands(metadata.num_rows) + " in " + std::to_string(file.num_row_groups()) + " row group" +
         (file.num_row_groups() == 1 ? "" : "s") + "\n";
  out += "schema as stored:\n";
  DescribeStoredSchema(metadata, &out);
  out += "schema as read:\n";
  DescribeKilnSchema(file.file_schema(), &out);
  const std::vector<int> owner = SupportedColumnOfLeaf(file.file_schema());
  for (int index = 0; index < file.num_row_groups(); ++index) DescribeRowGroup(file, index, owner, &out);
  return out;
}

Result<std::string> InspectParquet(const std::string& path) {
  std::error_code error;
  std::vector<std::string> files = {path};
  std::string out;
  if (std::filesystem::is_directory(path, error)) {
    Result<std::vector<std::string>> listed = ListParquetFiles(path);
    if (!listed.ok()) return listed.status();
    files = std::move(*listed);
    out = DescribeDirectory(path, files);
  }
  for (const std::string& name : files) {
    Result<std::unique_ptr<ParquetFileReader>> file = ParquetFileReader::Open(name);
    if (!file.ok()) return file.status();
    if (!out.empty()) out += "\n";
    out += DescribeParquetFile(**file);
  }
  return out;
}

}  // namespace kiln::parquet
