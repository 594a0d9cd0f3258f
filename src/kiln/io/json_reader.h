// JsonLinesReader: streams a JSON Lines file (one object per line) as record
// batches, parsing chunks of lines in parallel with simdjson.
//
// Open() settles the schema: the given one, or one inferred from the first
// lines (see json_schema_inference.h). Then RowChunker cuts the file into
// chunks of batch_rows lines, ChunkPipeline parses several at once, and
// Next() returns one batch per chunk in file order, so memory stays bounded.
// Blank lines are skipped. Bad lines fail the read with file, line and key,
// or are dropped and counted under OnError::kSkip.
#pragma once

#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/core/progress.h"
#include "kiln/io/chunk_pipeline.h"
#include "kiln/io/json_chunk_parser.h"
#include "kiln/io/json_options.h"

namespace kiln {

class JsonLinesReader : public BatchReader {
 public:
  static Result<std::unique_ptr<JsonLinesReader>> Open(const std::string& path, JsonLinesOptions options = {});

  JsonLinesReader(const JsonLinesReader&) = delete;
  JsonLinesReader& operator=(const JsonLinesReader&) = delete;

  const SchemaPtr& schema() const override { return schema_; }
  Status Next(RecordBatchPtr* batch) override;
  ReadReport report() const override { return report_; }

 private:
  JsonLinesReader() = default;

  JsonLinesOptions options_;                                  // As given.
  SchemaPtr schema_;                                          // Of every batch.
  std::unique_ptr<ChunkPipeline<JsonChunkResult>> pipeline_;  // Chunks in, parsed chunks out, in order.
  std::unique_ptr<Progress> progress_;                        // When options_.show_progress.
  int64_t bytes_reported_ = 0;                                // Progress already counted.
  ReadReport report_;                                         // Counts so far.
  std::string path_;                                          // For messages.
  bool finished_ = false;                                     // Next() has returned the end.
};

}  // namespace kiln
