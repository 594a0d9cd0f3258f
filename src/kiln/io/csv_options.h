// Options of the CSV/TSV reader, and the preset for Criteo click logs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/core/schema.h"
#include "kiln/io/row_chunker.h"

namespace kiln {

struct CsvOptions {
  char delimiter = ',';  // '\t' for TSV. Must not be '"', '\r', '\n' or '\0'.
  // RFC 4180 quoting: a field that starts with '"' runs to the matching '"',
  // may hold delimiters and line breaks, and "" inside it is one '"'. A quote
  // anywhere else in a field is an error. Off: '"' is an ordinary byte.
  bool quoted = true;
  bool header = true;                     // The first non-blank line holds the column names.
  std::vector<std::string> column_names;  // Overrides header names; without header and names: f0, f1, ...
  // A field equal to this is null. Quoted fields are never null (so "" is
  // an empty string), and for non-string columns an empty field is always null.
  std::string null_string;
  // The columns to produce. Without it each column's type is inferred from
  // the first `infer_rows` rows, nulls ignored, as the first that fits of
  // bool (true/false), int32, int64, float64, date32, timestamp, string; an
  // all-null column is string. A given schema may use bool (true/false in
  // any case, or 1/0), int32/64, uint32/64, float32/64, date32 (YYYY-MM-DD),
  // timestamp, string and binary.
  std::optional<Schema> schema;
  int64_t infer_rows = 10000;
  // Columns holding 1-8 hex digits, parsed straight into uint32 (Criteo's
  // categorical features). The single entry "*" selects every column that
  // would be inferred as string and whose sample values are all hex.
  // With a schema, listed columns must be uint32 there, and "*" means its
  // uint32 columns. Other uint32 columns parse as decimal.
  std::vector<std::string> hex32_columns;
  // Hex32 fields must be empty or exactly 8 lower-case hex digits, the only
  // text whose uint32 value maps back to it one to one (so "00ab" and "AB"
  // stay distinct from "ab") and orders like it. Any other field of a hex32
  // column fails the read with Status::NotCanonical naming file, line and
  // column, under either on_error policy: the caller then reads those
  // columns as strings instead.
  bool strict_hex32 = false;
  int64_t batch_rows = 65536;             // Rows per batch; the last, and batches that lost skipped rows, have fewer.
  OnError on_error = OnError::kError;     // What a malformed row does.
  int threads = 0;                        // Parse threads; 0 uses ThreadPool::Default(), else a private pool.
  int max_skipped_errors_kept = 10;       // Skip reasons kept in the ReadReport.
  bool show_progress = false;             // A progress bar (bytes) on stderr.
  // Read only the rows that start in this part of the file (row_chunker.h);
  // the header and type inference still come from the file's start.
  // REQUIRES: quoted is false unless the range is whole (inside quotes a
  // newline does not end a row, and a range cannot tell from its bytes).
  ByteRange range;
};

// label int32 not null, I1..I13 int32, C1..C26 uint32 (hex).
Schema CriteoSchema();
// Tab separated, no header, no quoting, CriteoSchema(), hex32 on C1..C26.
CsvOptions CriteoTsvOptions();

}  // namespace kiln
