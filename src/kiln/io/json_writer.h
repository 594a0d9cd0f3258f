// JsonLinesWriter: writes record batches as JSON Lines in Kiln's canonical
// form (see json_format.h), one object per row. Rows are formatted in
// parallel and written in order; the file appears only on Close().
#pragma once

#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/core/file.h"
#include "kiln/io/parallel_format.h"

namespace kiln {

class JsonLinesWriter : public BatchWriter {
 public:
  static Result<std::unique_ptr<JsonLinesWriter>> Open(const std::string& path, SchemaPtr schema);

  Status Write(const RecordBatch& batch) override;
  Status Close() override;

 private:
  explicit JsonLinesWriter(std::unique_ptr<OutputFile> file) : file_(std::move(file)) {}

  std::unique_ptr<OutputFile> file_;  // Temporary until Close().
};

// Formats rows [0, batch.num_rows()) as JSON Lines, in parallel, and hands
// the text to `sink` in row order. Shared by the writer and `kiln cat`.
Status FormatJsonLines(const RecordBatch& batch, const TextSink& sink);

}  // namespace kiln
