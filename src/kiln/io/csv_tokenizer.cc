#include "kiln/io/csv_tokenizer.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kiln {

namespace {

// Bit i is set when p[i] is the delimiter, '\n' or (when kQuoted) '"'.
template <bool kQuoted>
inline uint64_t SeparatorMask(const uint8_t* p, uint8_t delimiter) {
#if defined(__SSE2__)
  const __m128i delimiters = _mm_set1_epi8(static_cast<char>(delimiter));
  const __m128i newlines = _mm_set1_epi8('\n');
  const __m128i quotes = _mm_set1_epi8('"');
  uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(bytes, delimiters), _mm_cmpeq_epi8(bytes, newlines));
    if (kQuoted) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, quotes));
    mask |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(hits))) << (16 * i);
  }
  return mask;
#else
  uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) {
    bool hit = p[i] == delimiter || p[i] == '\n' || (kQuoted && p[i] == '"');
    mask |= static_cast<uint64_t>(hit) << i;
  }
  return mask;
#endif
}

int64_t CountNewlines(const uint8_t* begin, const uint8_t* end) {
  int64_t count = 0;
  while (begin < end) {
    const void* found = std::memchr(begin, '\n', end - begin);
    if (found == nullptr) break;
    ++count;
    begin = static_cast<const uint8_t*>(found) + 1;
  }
  return count;
}

}  // namespace

void FieldTable::RemoveRows(const std::vector<uint8_t>& drop) {
  int64_t kept = 0;
  for (int64_t r = 0; r < num_rows; ++r) {
    if (drop[r]) continue;
    if (kept != r) {
      std::memmove(bounds.data() + kept * stride(), bounds.data() + r * stride(), stride() * sizeof(uint32_t));
      lines[kept] = lines[r];
    }
    ++kept;
  }
  num_rows = kept;
}

CsvTokenizer::CsvTokenizer(const uint8_t* text, int64_t size, int64_t first_line, int num_columns, char delimiter,
                           bool quoted)
    : text_(text),
      size_(size),
      num_columns_(num_columns),
      delimiter_(static_cast<uint8_t>(delimiter)),
      quoted_(quoted),
      line_(first_line) {}

Status CsvTokenizer::Next(int64_t max_rows, const std::string& path, FieldTable* table,
                          std::vector<RowError>* skipped) {
  table->num_columns = num_columns_;
  table->num_rows = 0;
  if (static_cast<int64_t>(table->lines.size()) < max_rows ||
      static_cast<int64_t>(table->bounds.size()) < max_rows * table->stride()) {
    table->bounds.resize(max_rows * table->stride());
    table->lines.resize(max_rows);
  }
  while (table->num_rows < max_rows && position_ < size_) {
    const int64_t row_line = line_;
    uint32_t* bounds = table->bounds.data() + table->num_rows * table->stride();
    RowError error;
    Outcome outcome = quoted_ ? ScanRow<true>(bounds, &error) : ScanRow<false>(bounds, &error);
    if (outcome == Outcome::kRow) {
      table->lines[table->num_rows++] = row_line;
    } else if (outcome == Outcome::kBad) {
      if (skipped == nullptr) return Status::Corruption(path + ":" + std::to_string(error.line) + ": " + error.message);
      skipped->push_back(std::move(error));
    }
  }
  return Status::OK();
}

// Scans the row at position_, 64 bytes at a time, writing the start of each
// field and the end of the last one (plus one) to bounds.
template <bool kQuoted>
CsvTokenizer::Outcome CsvTokenizer::ScanRow(uint32_t* bounds, RowError* error) {
  const int64_t start = position_;
  const int64_t start_line = line_;
  const int last = num_columns_;
  int field = 0;
  bounds[0] = static_cast<uint32_t>(start);
  int64_t window = start;
  for (;;) {
    uint64_t mask = SeparatorMask<kQuoted>(text_ + window, delimiter_);
    bool moved = false;
    while (mask != 0) {
      const int64_t at = window + __builtin_ctzll(mask);
      mask &= mask - 1;
      const uint8_t byte = text_[at];
      if (byte == delimiter_) {
        if (++field == last) return Reject(start, start_line, "", true, error);
        bounds[field] = static_cast<uint32_t>(at + 1);
      } else if (byte == '\n') {
        ++line_;
        position_ = at + 1;
        return EndRow(start, start_line, field, at, bounds, error);
      } else if (kQuoted) {
        if (at != bounds[field]) {
          return Reject(start, start_line, "quote inside an unquoted field (field " + std::to_string(field + 1) + ")",
                        false, error);
        }
        int64_t closing = FindClosingQuote(at + 1);
        if (closing < 0) return Reject(start, start_line, "quoted field is never closed (unterminated quote)", false, error);
        if (!EndsFieldAt(closing + 1)) {
          return Reject(start, start_line, "unexpected text after a closing quote (field " + std::to_string(field + 1) + ")",
                        false, error);
        }
        window = closing + 1;
        moved = true;
        break;
      }
    }
    if (!moved) window += 64;
    if (window >= size_) break;
  }
  // The last row has no newline.
  position_ = size_;
  return EndRow(start, start_line, field, size_, bounds, error);
}

// The row that began at `start` ends at `row_end` (a '\n' or the end of the
// text; a '\r' before it is not part of the last field).
CsvTokenizer::Outcome CsvTokenizer::EndRow(int64_t start, int64_t start_line, int field, int64_t row_end,
                                           uint32_t* bounds, RowError* error) {
  const int last = num_columns_;
  int64_t end = (row_end > bounds[field] && text_[row_end - 1] == '\r') ? row_end - 1 : row_end;
  if (field == 0 && end == start) return Outcome::kBlank;
  if (field != last - 1) {
    position_ = start;
    line_ = start_line;
    return Reject(start, start_line, "", true, error);
  }
  bounds[last] = static_cast<uint32_t>(end + 1);
  return Outcome::kRow;
}

bool CsvTokenizer::EndsFieldAt(int64_t at) const {
  if (at >= size_) return true;
  uint8_t byte = text_[at];
  if (byte == delimiter_ || byte == '\n') return true;
  return byte == '\r' && (at + 1 >= size_ || text_[at + 1] == '\n');
}

int64_t CsvTokenizer::FindClosingQuote(int64_t from) {
  for (int64_t at = from; at < size_;) {
    const void* found = std::memchr(text_ + at, '"', size_ - at);
    if (found == nullptr) break;
    int64_t quote = static_cast<const uint8_t*>(found) - text_;
    if (quote + 1 < size_ && text_[quote + 1] == '"') {
      at = quote + 2;  // An escaped quote.
      continue;
    }
    line_ += CountNewlines(text_ + from, text_ + quote);
    return quote;
  }
  return -1;
}

CsvTokenizer::Outcome CsvTokenizer::Reject(int64_t start, int64_t start_line, std::string message, bool count_fields,
                                           RowError* error) {
  // Walk the row as the chunker does: quotes toggle, a newline outside them ends it.
  bool in_quote = false;
  int64_t fields = 1, newlines = 0, at = start;
  for (; at < size_; ++at) {
    uint8_t byte = text_[at];
    if (quoted_ && byte == '"') {
      in_quote = !in_quote;
    } else if (byte == '\n') {
      if (!in_quote) break;
      ++newlines;
    } else if (byte == delimiter_ && !in_quote) {
      ++fields;
    }
  }
  position_ = at < size_ ? at + 1 : size_;
  line_ = start_line + newlines + (at < size_ ? 1 : 0);
  if (count_fields) {
    message = "expected " + std::to_string(num_columns_) + " fields, found " + std::to_string(fields);
  }
  error->line = start_line;
  error->message = std::move(message);
  return Outcome::kBad;
}

Result<std::vector<std::string>> CsvTokenizer::SplitFirstRow(const uint8_t* text, int64_t size, int64_t first_line,
                                                             char delimiter, bool quoted, const std::string& path,
                                                             int64_t* row_end) {
  std::vector<std::string> fields;
  std::string field;
  int64_t line = first_line, at = 0;
  // Blank lines before the row are skipped, as everywhere else.
  while (at < size && (text[at] == '\n' || (text[at] == '\r' && at + 1 < size && text[at + 1] == '\n'))) {
    if (text[at] == '\n') ++line;
    ++at;
  }
  bool field_quoted = false;
  for (; at < size && text[at] != '\n'; ++at) {
    uint8_t byte = text[at];
    if (quoted && byte == '"' && field.empty() && !field_quoted) {
      int64_t open_line = line;
      field_quoted = true;
      for (++at;; ++at) {
        if (at >= size) {
          return Status::Corruption(path + ":" + std::to_string(open_line) +
                                    ": quoted field is never closed (unterminated quote)");
        }
        if (text[at] == '"') {
          if (at + 1 < size && text[at + 1] == '"') {
            field += '"';
            ++at;
            continue;
          }
          break;
        }
        if (text[at] == '\n') ++line;
        field += static_cast<char>(text[at]);
      }
    } else if (byte == static_cast<uint8_t>(delimiter)) {
      fields.push_back(std::move(field));
      field.clear();
      field_quoted = false;
    } else if (!(byte == '\r' && (at + 1 >= size || text[at + 1] == '\n'))) {
      field += static_cast<char>(byte);
    }
  }
  fields.push_back(std::move(field));
  *row_end = at < size ? at + 1 : size;
  return fields;
}

}  // namespace kiln
