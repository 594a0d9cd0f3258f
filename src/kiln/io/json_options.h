// Options of the JSON Lines reader.
#pragma once

#include <cstdint>
#include <optional>

#include "kiln/core/batch_stream.h"
#include "kiln/core/schema.h"
#include "kiln/io/row_chunker.h"

namespace kiln {

struct JsonLinesOptions {
  // The columns to produce. Without it the schema is inferred from the first
  // `infer_rows` lines: keys in order of first appearance; integers int64,
  // other numbers float64, booleans bool, strings string, arrays list<...>,
  // objects as their JSON text; a key that is null throughout is string.
  std::optional<Schema> schema;
  int64_t infer_rows = 1000;
  // A key that is not in the schema is an error (or a skipped row) unless
  // this is set; it is never dropped silently.
  bool ignore_unknown_keys = false;
  int64_t batch_rows = 65536;        // Rows per yielded batch (the last may be shorter).
  OnError on_error = OnError::kError;
  int max_skipped_errors_kept = 10;  // Reasons kept in the ReadReport.
  bool show_progress = false;        // A progress bar while reading.
  ByteRange range;                   // Read only the rows that start here (row_chunker.h); inference reads the head.
};

}  // namespace kiln
