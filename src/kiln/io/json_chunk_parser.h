// ParseJsonLinesChunk: turns a chunk of JSON Lines text into a record batch
// of a fixed schema. Pure function of its inputs, so chunks parse in
// parallel; the reader stitches results together in order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/core/buffer.h"
#include "kiln/io/json_options.h"

namespace kiln {

struct JsonChunkResult {
  RecordBatchPtr batch;                // The good rows, in order.
  int64_t rows_skipped = 0;            // Under OnError::kSkip.
  std::vector<std::string> errors;     // Reasons for skipped rows (capped).
};

// Parses every non-blank line of `text`; line numbers start at `first_line`.
// Under OnError::kError the first bad line fails the whole chunk with a
// Corruption naming `path`, the line and the key.
Result<JsonChunkResult> ParseJsonLinesChunk(const Buffer& text, int64_t first_line, const SchemaPtr& schema,
                                            const JsonLinesOptions& options, const std::string& path);

}  // namespace kiln
