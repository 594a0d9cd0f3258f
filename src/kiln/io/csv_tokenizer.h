// CsvTokenizer: finds where the fields of each row lie in a chunk of CSV
// text, a block of rows at a time, without copying or converting anything.
//
// Separators are found 64 bytes at a time (SSE2 compare + movemask), so a
// quote-free row costs a few instructions per field. Converting the fields
// is left to the caller, column by column, which keeps those loops tight and
// free of per-field type dispatch.
//
// Blank rows (empty or a lone "\r") are skipped. A "\r" before "\n" is not
// part of the last field. Malformed rows (wrong field count, stray quote,
// text after a closing quote, unterminated quote) become a Corruption, or
// with a skip list they are dropped and described there.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "kiln/core/status.h"

namespace kiln {

// The fields of a block of rows. Field j of row r occupies
// [bounds[r * stride() + j], bounds[r * stride() + j + 1] - 1) in the text,
// quotes included for quoted fields.
struct FieldTable {
  int num_columns = 0;           // Fields per row.
  int64_t num_rows = 0;          // Rows in this block.
  std::vector<uint32_t> bounds;  // stride() entries per row.
  std::vector<int64_t> lines;    // Physical line number where each row starts.

  int64_t stride() const { return num_columns + 1; }
  const uint32_t* row(int64_t r) const { return bounds.data() + r * stride(); }
  // Drops rows whose flag is set, keeping the order of the others.
  void RemoveRows(const std::vector<uint8_t>& drop);
};

// A malformed row: where it starts and what is wrong, without the file name.
struct RowError {
  int64_t line;
  std::string message;
};

// Strips the quotes of a quoted field [*begin, *end) and undoes its ""
// escapes (into *scratch, only when there are any); returns whether the
// field was quoted. Unquoted fields are left alone.
inline bool UnquoteCsvField(const char** begin, const char** end, std::string* scratch) {
  if (*begin == *end || **begin != '"') return false;
  const char* content = *begin + 1;
  const char* content_end = *end - 1;
  if (std::memchr(content, '"', content_end - content) != nullptr) {
    scratch->clear();
    for (const char* p = content; p < content_end; ++p) {
      *scratch += *p;
      if (*p == '"') ++p;  // The second quote of a "" pair.
    }
    content = scratch->data();
    content_end = content + scratch->size();
  }
  *begin = content;
  *end = content_end;
  return true;
}

class CsvTokenizer {
 public:
  // REQUIRES: text[size, size + 64) is readable and zero (Buffer padding);
  // size < 4 GiB; num_columns >= 1.
  CsvTokenizer(const uint8_t* text, int64_t size, int64_t first_line, int num_columns, char delimiter, bool quoted);

  // Fills *table with up to max_rows rows following those already returned.
  // With skipped == nullptr a malformed row fails with Corruption
  // "<path>:<line>: <message>"; otherwise it is appended to *skipped.
  Status Next(int64_t max_rows, const std::string& path, FieldTable* table, std::vector<RowError>* skipped);

  // All rows have been returned.
  bool done() const { return position_ >= size_; }

  // Splits one row of `text` into unquoted field values (for header lines).
  // REQUIRES: as for the constructor, and text holds at least one row.
  static Result<std::vector<std::string>> SplitFirstRow(const uint8_t* text, int64_t size, int64_t first_line,
                                                        char delimiter, bool quoted, const std::string& path,
                                                        int64_t* row_end);

 private:
  enum class Outcome { kRow, kBlank, kBad };
  template <bool kQuoted>
  Outcome ScanRow(uint32_t* bounds, RowError* error);
  // After a closing quote at `at`, the next byte must end the field.
  bool EndsFieldAt(int64_t at) const;
  // Index of the quote closing a field whose text starts at `from`, or -1;
  // counts the newlines on the way.
  int64_t FindClosingQuote(int64_t from);
  // Describes a bad row starting at `start` and moves past it, finding its
  // end the way RowChunker does (quotes toggle), so both agree on rows.
  // Closes the row begun at `start` whose last field ends at `row_end`:
  // blank, complete, or rejected for its field count.
  Outcome EndRow(int64_t start, int64_t start_line, int field, int64_t row_end, uint32_t* bounds, RowError* error);
  Outcome Reject(int64_t start, int64_t start_line, std::string message, bool count_fields, RowError* error);

  const uint8_t* text_;  // The chunk.
  int64_t size_;         // Bytes of text.
  int num_columns_;      // Expected fields per row.
  uint8_t delimiter_;    // Field separator.
  bool quoted_;          // RFC 4180 quoting is on.
  int64_t position_ = 0; // Start of the next row.
  int64_t line_;         // Physical line at position_.
};

}  // namespace kiln
