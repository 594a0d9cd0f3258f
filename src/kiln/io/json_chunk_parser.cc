#include "kiln/io/json_chunk_parser.h"

#include <simdjson.h>

#include <memory>
#include <unordered_map>

#include "kiln/core/column_builder.h"
#include "kiln/io/json_lines_scan.h"
#include "kiln/io/json_value_appender.h"

namespace kiln {

namespace {

// Builds one batch row by row, with the lookup state that makes keys in
// the usual order cheap to match.
class RowAssembler {
 public:
  RowAssembler(const SchemaPtr& schema, bool ignore_unknown_keys)
      : schema_(schema), ignore_unknown_keys_(ignore_unknown_keys), seen_(schema->num_fields(), 0) {
    for (int c = 0; c < schema->num_fields(); ++c) {
      builders_.push_back(std::make_unique<ColumnBuilder>(schema->field(c).type));
      index_.emplace(schema->field(c).name, c);
    }
  }

  // Appends the row, or appends nothing and explains why.
  bool AddRow(const simdjson::dom::element& root, std::string* error) {
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) {
      *error = "expected a JSON object";
      return false;
    }
    std::fill(seen_.begin(), seen_.end(), 0);
    int expected = 0;
    for (auto field : object) {
      int column = Find(field.key, expected);
      if (column < 0) {
        if (ignore_unknown_keys_) continue;
        return Fail("key '" + std::string(field.key) + "' is not in the schema", error);
      }
      if (seen_[column]) return Fail("key '" + std::string(field.key) + "' appears twice", error);
      seen_[column] = 1;
      if (!AppendJsonElement(field.value, builders_[column].get(), error)) {
        return Fail("key '" + std::string(field.key) + "': " + *error, error);
      }
      expected = column + 1;
    }
    for (size_t c = 0; c < builders_.size(); ++c) {
      if (!seen_[c]) builders_[c]->AppendNull();
    }
    ++rows_;
    return true;
  }

  RecordBatchPtr Finish() {
    std::vector<std::shared_ptr<Column>> columns;
    for (auto& builder : builders_) columns.push_back(builder->Finish());
    return std::make_shared<const RecordBatch>(schema_, std::move(columns), rows_);
  }

 private:
  int Find(std::string_view key, int expected) const {
    if (expected < schema_->num_fields() && schema_->field(expected).name == key) return expected;
    auto it = index_.find(std::string(key));
    return it == index_.end() ? -1 : it->second;
  }

  // Undoes the half-appended row so the builders stay aligned.
  bool Fail(std::string reason, std::string* error) {
    for (auto& builder : builders_) builder->Truncate(rows_);
    *error = std::move(reason);
    return false;
  }

  SchemaPtr schema_;                                     // Columns to fill.
  bool ignore_unknown_keys_;                             // Skip keys not in schema_.
  std::vector<std::unique_ptr<ColumnBuilder>> builders_; // One per column.
  std::unordered_map<std::string, int> index_;           // Column by key.
  std::vector<uint8_t> seen_;                            // Keys present in this row.
  int64_t rows_ = 0;                                     // Complete rows appended.
};

}  // namespace

Result<JsonChunkResult> ParseJsonLinesChunk(const Buffer& text, int64_t first_line, const SchemaPtr& schema,
                                            const JsonLinesOptions& options, const std::string& path) {
  thread_local simdjson::dom::parser parser;
  RowAssembler rows(schema, options.ignore_unknown_keys);
  JsonChunkResult result;
  Status status;
  std::string error;
  ForEachJsonLine(text, first_line, &parser, [&](const JsonLine& line) {
    bool ok = line.parse_error == simdjson::SUCCESS ? rows.AddRow(line.root, &error) : false;
    if (ok) return true;
    if (line.parse_error != simdjson::SUCCESS) error = simdjson::error_message(line.parse_error);
    std::string where = path + ":" + std::to_string(line.line_number) + ": " + error;
    if (options.on_error == OnError::kError) {
      status = Status::Corruption(where);
      return false;
    }
    ++result.rows_skipped;
    if (static_cast<int>(result.errors.size()) < options.max_skipped_errors_kept) result.errors.push_back(where);
    return true;
  });
  if (!status.ok()) return status;
  result.batch = rows.Finish();
  return result;
}

}  // namespace kiln
