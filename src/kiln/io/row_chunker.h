// RowChunker: cuts a text file into chunks of whole rows, in file order.
//
// The text readers (CSV, JSON Lines) parse chunks in parallel; the chunker is
// the one sequential step. It reads large blocks with pread (not mmap, so
// memory stays bounded for inputs larger than RAM) and finds row ends with
// memchr, so it runs at memory speed and is never the bottleneck.
//
// A row ends at a '\n' (a preceding '\r' belongs to the row end). Blank rows
// (empty or a lone "\r") are kept in the bytes but are not counted towards
// rows_per_chunk, so readers that skip them still see full chunks.
// With `quoted`, a '"' toggles a quoted section in which '\n' does not end
// the row; for RFC 4180 input ("" escapes a quote) this is exactly the set of
// row ends, and it needs no knowledge of the delimiter.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kiln/core/buffer.h"
#include "kiln/core/file.h"
#include "kiln/core/status.h"

namespace kiln {

struct TextChunk {
  std::shared_ptr<Buffer> bytes;  // Whole rows only (ends at a row end or EOF); 64 zero bytes follow size().
  int64_t index = 0;              // 0-based chunk number in file order.
  int64_t first_line = 1;         // 1-based physical line number of bytes[0] in the file.
};

// A share of one text file for one process of a distributed read: the rows
// that start in the bytes [begin, end). A range that begins inside a row
// skips to the next row start, and the row that straddles `end` belongs to
// this range, so consecutive ranges cover every row exactly once. Only valid
// where every '\n' ends a row (unquoted text, JSON Lines).
struct ByteRange {
  int64_t begin = 0;  // File offset.
  int64_t end = -1;   // File offset; -1: the file's end.
  bool whole() const { return begin == 0 && end < 0; }
};

struct RowChunkerOptions {
  int64_t rows_per_chunk = 65536;     // Non-blank rows per chunk; the last chunk may have fewer.
  bool quoted = false;                // CSV: '"' opens a quoted section where newlines do not end the row.
  int64_t read_block_bytes = 8 << 20; // Most bytes per pread; reads are also kept to about two chunks.
  int64_t end_offset = -1;            // Treat this file offset as EOF; -1 means the file's end.
  int64_t max_row_bytes = 1LL << 30;  // A longer row is an error (typically a stray quote), not unbounded memory.
};

// The file offset of the first row that starts at or after `offset`: rows
// start at `data_start` (past any header) and after each '\n'. Returns the
// file size when no row starts there.
Result<int64_t> RowStartAtOrAfter(const InputFile& file, int64_t offset, int64_t data_start);

class RowChunker {
 public:
  // Opens `path` for the rows of `range` (header and BOM before `data_start`
  // excluded); see ByteRange.
  static Result<std::unique_ptr<RowChunker>> OpenRange(const std::string& path, int64_t data_start, ByteRange range,
                                                       RowChunkerOptions options);

  // Opens `path` and positions at `start_offset` (e.g. past a header line).
  // Line numbers count the newlines before start_offset, so they stay
  // physical line numbers of the file.
  // REQUIRES: start_offset is 0 or just after a row end.
  static Result<std::unique_ptr<RowChunker>> Open(const std::string& path, int64_t start_offset,
                                                  RowChunkerOptions options);

  RowChunker(const RowChunker&) = delete;
  RowChunker& operator=(const RowChunker&) = delete;

  // Sets *chunk to the next chunk, or sets *end = true (and leaves *chunk
  // alone) when the input is exhausted. With `quoted`, a quote still open at
  // EOF is a Corruption naming the line where it opened. After a non-OK
  // status the chunker must not be used again.
  Status Next(TextChunk* chunk, bool* end);

  // File offset just past the last chunk returned (start_offset before the first).
  int64_t bytes_consumed() const { return consumed_offset_; }
  // Size of the file (not limited by end_offset).
  int64_t file_size() const { return file_->size(); }
  const std::string& path() const { return file_->path(); }

 private:
  RowChunker(std::unique_ptr<InputFile> file, int64_t start_offset, RowChunkerOptions options);

  // Scans pending_ from scanned_; returns true with *cut set to the end of a
  // chunk once rows_per_chunk rows are complete.
  bool ScanUnquoted(int64_t* cut);
  bool ScanQuoted(int64_t* cut);
  // Counts a row end at pending_ offset `newline`; returns true when it completes the chunk.
  bool EndRow(int64_t newline);
  // Appends the next block of the file to pending_; sets eof_ when none is left.
  // Bytes of the next read.
  int64_t BlockBytes() const;
  Status ReadBlock();
  // Hands out pending_[0, cut) and keeps the rest as the new pending_.
  void Emit(int64_t cut, TextChunk* chunk);

  std::unique_ptr<InputFile> file_;  // The input.
  RowChunkerOptions options_;        // As given.
  int64_t end_offset_;               // Where reading stops.
  int64_t read_offset_;              // Next file offset to read.
  int64_t consumed_offset_;          // File offset of pending_[0].
  bool eof_ = false;                 // Nothing is left to read.
  std::shared_ptr<Buffer> pending_;  // Bytes read but not yet handed out.
  int64_t last_chunk_bytes_ = 0;     // Size of the previous chunk, to size the next buffer.
  int64_t next_index_ = 0;           // Index of the next chunk.
  int64_t first_line_ = 1;           // Line number of pending_[0].
  // Scan state, as offsets into pending_; reset by Emit().
  int64_t scanned_ = 0;              // Bytes examined so far.
  int64_t row_start_ = 0;            // Start of the current row.
  int64_t rows_ = 0;                 // Non-blank rows completed.
  int64_t lines_ = 0;                // Newlines seen.
  bool in_quote_ = false;            // Inside a quoted section.
  int64_t quote_line_ = 0;           // Line (relative to first_line_) where the open quote began.
  int64_t quote_searched_to_ = 0;    // No '"' lies in [scanned_, quote_searched_to_) ...
  int64_t next_quote_ = -1;          // ... except at next_quote_ when >= 0.
};

}  // namespace kiln
