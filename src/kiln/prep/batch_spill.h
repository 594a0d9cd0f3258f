// BatchSpill: parsed record batches saved to a local file and streamed back.
//
// Parsing text is the largest cost of a pass over CSV/TSV input. The first
// pass of a run writes the batches it parsed here, in input order, so later
// passes read raw column buffers instead of parsing the text again. Memory
// stays bounded (one batch at a time); the file lives in the output's
// temporary directory and is removed with it.
//
// Format: per batch, the row count, then per column its validity bitmap
// (when it has nulls), then its values (fixed width), or its offsets and
// bytes (strings), or its offsets and child column (lists, recursively).
// Host byte order; the file never leaves the machine that wrote it.
#pragma once

#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/core/file.h"

namespace kiln::prep {

class BatchSpillWriter {
 public:
  static Result<std::unique_ptr<BatchSpillWriter>> Create(const std::string& path, SchemaPtr schema);

  // REQUIRES: batch.schema() equals the schema given to Create().
  Status Append(const RecordBatch& batch);
  // Flushes and publishes the file. REQUIRES: called once.
  Status Finish();

 private:
  explicit BatchSpillWriter(std::unique_ptr<OutputFile> file) : file_(std::move(file)) {}
  Status AppendColumn(const Column& column);

  std::unique_ptr<OutputFile> file_;  // Renamed to its path by Finish().
};

// Reads what a BatchSpillWriter wrote, as a BatchReader with the writer's
// schema and the reader report of the pass that produced it.
Result<std::unique_ptr<BatchReader>> OpenBatchSpill(const std::string& path, SchemaPtr schema, ReadReport report);

}  // namespace kiln::prep
