#include "kiln/io/json_writer.h"

#include "kiln/io/json_format.h"

namespace kiln {

Status FormatJsonLines(const RecordBatch& batch, const TextSink& sink) {
  return FormatRowsInParallel(
      batch.num_rows(),
      [&](int64_t begin, int64_t end, std::string* out) {
        for (int64_t row = begin; row < end; ++row) {
          AppendJsonRow(out, batch, row);
          out->push_back('\n');
        }
      },
      sink);
}

Result<std::unique_ptr<JsonLinesWriter>> JsonLinesWriter::Open(const std::string& path, SchemaPtr schema) {
  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  return std::unique_ptr<JsonLinesWriter>(new JsonLinesWriter(std::move(*file)));
}

Status JsonLinesWriter::Write(const RecordBatch& batch) {
  return FormatJsonLines(batch, [this](std::string_view text) { return file_->Append(text); });
}

Status JsonLinesWriter::Close() { return file_->Commit(); }

}  // namespace kiln
