#include "kiln/prep/hex_text_check.h"

#include <cstring>
#include <mutex>

#include "kiln/core/thread_pool.h"
#include "kiln/io/row_chunker.h"

namespace kiln::prep {

namespace {

struct LowerHexTable {
  bool is_hex[256];
  constexpr LowerHexTable() : is_hex() {
    for (int c = '0'; c <= '9'; ++c) is_hex[c] = true;
    for (int c = 'a'; c <= 'f'; ++c) is_hex[c] = true;
  }
};
constexpr LowerHexTable kLowerHex;

bool Canonical(const char* begin, const char* end) {
  if (begin == end) return true;
  if (end - begin != 8) return false;
  for (const char* p = begin; p < end; ++p) {
    if (!kLowerHex.is_hex[static_cast<unsigned char>(*p)]) return false;
  }
  return true;
}

// Checks one chunk; returns the first violation's text, or "".
std::string CheckChunk(const TextChunk& chunk, const std::vector<int>& hex_field, int fields, char delimiter,
                       int64_t first_data_line, const std::string& path, const std::vector<std::string>& names) {
  const char* text = reinterpret_cast<const char*>(chunk.bytes->data());
  const char* end = text + chunk.bytes->size();
  int64_t line = chunk.first_line;
  std::vector<std::pair<const char*, const char*>> spans(fields);
  for (const char* row = text; row < end; ++line) {
    const char* row_end = static_cast<const char*>(std::memchr(row, '\n', end - row));
    if (row_end == nullptr) row_end = end;
    const char* content_end = row_end > row && row_end[-1] == '\r' ? row_end - 1 : row_end;
    int field = 0;
    const char* start = row;
    for (const char* p = row;; ++p) {
      if (p == content_end || *p == delimiter) {
        if (field < fields) spans[field] = {start, p};
        ++field;
        start = p + 1;
        if (p == content_end) break;
      }
    }
    if (field == fields && line >= first_data_line) {
      for (int column : hex_field) {
        if (!Canonical(spans[column].first, spans[column].second)) {
          return path + ":" + std::to_string(line) + ": column '" + names[column] + "' holds '" +
                 std::string(spans[column].first, spans[column].second) + "'";
        }
      }
    }
    row = row_end + 1;
  }
  return "";
}

Status CheckFile(const std::string& path, const CsvOptions& options, const std::vector<int>& hex_fields,
                 std::string* violation) {
  RowChunkerOptions chunker_options;
  chunker_options.rows_per_chunk = options.batch_rows;
  auto chunker = RowChunker::Open(path, 0, chunker_options);
  if (!chunker.ok()) return chunker.status();
  const Schema& schema = *options.schema;
  std::vector<std::string> names;
  for (const Field& field : schema.fields()) names.push_back(field.name);
  ThreadPool& pool = ThreadPool::Default();
  const int64_t first_data_line = options.header ? 2 : 1;
  for (bool end = false; !end && violation->empty();) {
    std::vector<TextChunk> chunks;
    while (!end && static_cast<int>(chunks.size()) < 2 * pool.size()) {
      TextChunk chunk;
      Status status = (*chunker)->Next(&chunk, &end);
      if (!status.ok()) return status;
      if (!end) chunks.push_back(std::move(chunk));
    }
    std::vector<std::string> found(chunks.size());
    pool.ParallelFor(static_cast<int64_t>(chunks.size()), [&](int64_t i) {
      found[i] = CheckChunk(chunks[i], hex_fields, schema.num_fields(), options.delimiter, first_data_line, path,
                            names);
    });
    for (size_t i = 0; i < found.size() && violation->empty(); ++i) *violation = found[i];
  }
  return Status::OK();
}

}  // namespace

Status CheckHexText(const std::vector<std::string>& files, const CsvOptions& options, std::string* violation) {
  violation->clear();
  const Schema& schema = *options.schema;
  std::vector<int> hex_fields;
  for (const std::string& name : options.hex32_columns) {
    if (name == "*") {
      for (int i = 0; i < schema.num_fields(); ++i) {
        if (schema.field(i).type.id() == TypeId::kUInt32) hex_fields.push_back(i);
      }
    } else if (int index = schema.IndexOf(name); index >= 0) {
      hex_fields.push_back(index);
    }
  }
  if (hex_fields.empty()) return Status::OK();
  for (const std::string& file : files) {
    Status status = CheckFile(file, options, hex_fields, violation);
    if (!status.ok() || !violation->empty()) return status;
  }
  return Status::OK();
}

}  // namespace kiln::prep
