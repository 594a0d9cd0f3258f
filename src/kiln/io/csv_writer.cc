#include "kiln/io/csv_writer.h"

#include "kiln/core/value_format.h"
#include "kiln/io/parallel_format.h"

namespace kiln {

Result<std::unique_ptr<CsvWriter>> CsvWriter::Open(const std::string& path, SchemaPtr schema,
                                                   CsvWriteOptions options) {
  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  std::unique_ptr<CsvWriter> writer(new CsvWriter(std::move(*file), std::move(schema), std::move(options)));
  if (writer->options_.header) {
    std::string line;
    for (int c = 0; c < writer->schema_->num_fields(); ++c) {
      if (c) line.push_back(writer->options_.delimiter);
      writer->AppendField(writer->schema_->field(c).name, &line);
    }
    line.push_back('\n');
    Status status = writer->file_->Append(line);
    if (!status.ok()) return status;
  }
  return writer;
}

void CsvWriter::AppendField(std::string_view text, std::string* out) const {
  bool needs_quotes = text.empty() && options_.null_string.empty();
  for (char c : text) {
    if (c == options_.delimiter || c == '"' || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void CsvWriter::AppendRows(const RecordBatch& batch, int64_t begin, int64_t end, std::string* out) const {
  std::string value;
  for (int64_t row = begin; row < end; ++row) {
    for (int c = 0; c < batch.num_columns(); ++c) {
      if (c) out->push_back(options_.delimiter);
      const Column& column = batch.column(c);
      if (column.IsNull(row)) {
        out->append(options_.null_string);
        continue;
      }
      value.clear();
      AppendValueText(&value, column, row);
      // Numbers never need quoting; skip the scan for them.
      if (column.type().is_binary_like() || column.type().is_list()) {
        AppendField(value, out);
      } else {
        out->append(value);
      }
    }
    out->push_back('\n');
  }
}

Status CsvWriter::Write(const RecordBatch& batch) {
  return FormatRowsInParallel(
      batch.num_rows(),
      [&](int64_t begin, int64_t end, std::string* out) { AppendRows(batch, begin, end, out); },
      [this](std::string_view text) { return file_->Append(text); });
}

Status CsvWriter::Close() { return file_->Commit(); }

}  // namespace kiln
