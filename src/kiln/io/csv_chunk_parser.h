// ParseCsvChunk: turns one chunk of CSV/TSV text into a record batch of a
// fixed schema. A pure function of its inputs, so chunks parse in parallel.
//
// Rows are tokenized a block at a time (CsvTokenizer), then each column of
// the block is converted by a loop specialised for its type, writing
// straight into the column's buffers. Under OnError::kSkip the rows of a
// block that failed are dropped and the block is converted again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/io/row_chunker.h"

namespace kiln {

// What every chunk parse needs, fixed when the reader opens.
struct CsvParseSpec {
  std::string path;                  // For error messages.
  SchemaPtr schema;                  // One field per column of the text.
  std::vector<bool> hex32;           // Per column: uint32 written as hex digits.
  bool strict_hex32 = false;         // Hex32 fields must be canonical (CsvOptions::strict_hex32).
  char delimiter = ',';              // Field separator.
  bool quoted = true;                // RFC 4180 quoting.
  std::string null_string;           // Field text that means null.
  OnError on_error = OnError::kError;
  int64_t max_rows = 65536;          // Most rows a chunk can hold (sizes the buffers).
  int max_errors_kept = 10;          // Skip reasons kept per chunk.
};

struct CsvChunkResult {
  RecordBatchPtr batch;              // The good rows, in file order.
  int64_t rows_skipped = 0;          // Malformed rows dropped under kSkip.
  std::vector<std::string> errors;   // The first reasons, "<path>:<line>: ...".
  int64_t bytes = 0;                 // Size of the chunk's text.
};

// A non-canonical hex32 field under spec.strict_hex32 returns NotCanonical.
// REQUIRES: chunk.bytes is padded as RowChunker pads it; spec.hex32 columns are uint32.
Result<CsvChunkResult> ParseCsvChunk(const TextChunk& chunk, const CsvParseSpec& spec);

// "1st", "2nd", "3rd", "4th", "11th", ...
std::string Ordinal(int64_t n);

}  // namespace kiln
