#include "kiln/io/row_chunker.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace kiln {

namespace {

int64_t CountNewlines(const uint8_t* data, int64_t length) {
  int64_t count = 0;
  const uint8_t* end = data + length;
  while (data < end) {
    const void* found = std::memchr(data, '\n', end - data);
    if (found == nullptr) break;
    ++count;
    data = static_cast<const uint8_t*>(found) + 1;
  }
  return count;
}

// Newlines in the file before `offset`, read in modest blocks.
Result<int64_t> CountLinesBefore(const InputFile& file, int64_t offset) {
  std::vector<uint8_t> block(std::min<int64_t>(offset, 1 << 20));
  int64_t lines = 0;
  for (int64_t at = 0; at < offset;) {
    int64_t want = std::min<int64_t>(offset - at, block.size());
    Status status = file.ReadExactly(at, want, block.data());
    if (!status.ok()) return status;
    lines += CountNewlines(block.data(), want);
    at += want;
  }
  return lines;
}

}  // namespace

Result<int64_t> RowStartAtOrAfter(const InputFile& file, int64_t offset, int64_t data_start) {
  if (offset <= data_start) return std::min(data_start, file.size());
  std::vector<uint8_t> block(1 << 16);
  // A row starts at `offset` exactly when the byte before it ends a row.
  for (int64_t at = offset - 1; at < file.size(); at += static_cast<int64_t>(block.size())) {
    int64_t want = std::min<int64_t>(file.size() - at, block.size());
    Status status = file.ReadExactly(at, want, block.data());
    if (!status.ok()) return status;
    const void* found = std::memchr(block.data(), '\n', want);
    if (found != nullptr) return at + (static_cast<const uint8_t*>(found) - block.data()) + 1;
  }
  return file.size();
}

Result<std::unique_ptr<RowChunker>> RowChunker::OpenRange(const std::string& path, int64_t data_start, ByteRange range,
                                                          RowChunkerOptions options) {
  if (range.whole()) return Open(path, data_start, options);
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  auto begin = RowStartAtOrAfter(**file, range.begin, data_start);
  if (!begin.ok()) return begin.status();
  auto end = range.end < 0 ? Result<int64_t>((*file)->size()) : RowStartAtOrAfter(**file, range.end, data_start);
  if (!end.ok()) return end.status();
  options.end_offset = std::max(*begin, *end);
  return Open(path, *begin, options);
}

Result<std::unique_ptr<RowChunker>> RowChunker::Open(const std::string& path, int64_t start_offset,
                                                     RowChunkerOptions options) {
  if (options.rows_per_chunk < 1 || options.read_block_bytes < 1 || start_offset < 0) {
    return Status::InvalidArgument("RowChunker: rows_per_chunk and read_block_bytes must be positive");
  }
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  auto lines_before = CountLinesBefore(**file, std::min(start_offset, (*file)->size()));
  if (!lines_before.ok()) return lines_before.status();
  std::unique_ptr<RowChunker> chunker(new RowChunker(std::move(*file), start_offset, options));
  chunker->first_line_ = 1 + *lines_before;
  return chunker;
}

RowChunker::RowChunker(std::unique_ptr<InputFile> file, int64_t start_offset, RowChunkerOptions options)
    : file_(std::move(file)),
      options_(options),
      end_offset_(options.end_offset < 0 ? file_->size() : std::min(options.end_offset, file_->size())),
      read_offset_(start_offset),
      consumed_offset_(start_offset),
      pending_(std::make_shared<Buffer>()) {
  eof_ = read_offset_ >= end_offset_;
}

Status RowChunker::Next(TextChunk* chunk, bool* end) {
  *end = false;
  for (;;) {
    int64_t cut = 0;
    if (options_.quoted ? ScanQuoted(&cut) : ScanUnquoted(&cut)) {
      Emit(cut, chunk);
      return Status::OK();
    }
    int64_t size = static_cast<int64_t>(pending_->size());
    if (eof_) {
      if (in_quote_) {
        return Status::Corruption(path() + ":" + std::to_string(first_line_ + quote_line_) +
                                  ": quoted field is never closed (unterminated quote)");
      }
      if (size == 0) {
        *end = true;
        return Status::OK();
      }
      Emit(size, chunk);
      return Status::OK();
    }
    if (size - row_start_ > options_.max_row_bytes) {
      int64_t line = first_line_ + (in_quote_ ? quote_line_ : lines_);
      return Status::Corruption(path() + ":" + std::to_string(line) + ": row is longer than " +
                                std::to_string(options_.max_row_bytes) + " bytes" +
                                (in_quote_ ? " (a quote opened here is never closed?)" : ""));
    }
    Status status = ReadBlock();
    if (!status.ok()) return status;
  }
}

bool RowChunker::EndRow(int64_t newline) {
  const uint8_t* data = pending_->data();
  int64_t length = newline - row_start_;
  if (length > 0 && data[newline - 1] == '\r') --length;
  if (length > 0) ++rows_;
  ++lines_;
  row_start_ = newline + 1;
  scanned_ = newline + 1;
  return rows_ >= options_.rows_per_chunk;
}

bool RowChunker::ScanUnquoted(int64_t* cut) {
  const uint8_t* data = pending_->data();
  const int64_t size = static_cast<int64_t>(pending_->size());
  while (scanned_ < size) {
    const void* found = std::memchr(data + scanned_, '\n', size - scanned_);
    if (found == nullptr) {
      scanned_ = size;
      return false;
    }
    if (EndRow(static_cast<const uint8_t*>(found) - data)) {
      *cut = scanned_;
      return true;
    }
  }
  return false;
}

bool RowChunker::ScanQuoted(int64_t* cut) {
  const uint8_t* data = pending_->data();
  const int64_t size = static_cast<int64_t>(pending_->size());
  while (scanned_ < size) {
    if (in_quote_) {
      const void* found = std::memchr(data + scanned_, '"', size - scanned_);
      int64_t stop = found ? static_cast<const uint8_t*>(found) - data : size;
      lines_ += CountNewlines(data + scanned_, stop - scanned_);
      scanned_ = found ? stop + 1 : size;
      in_quote_ = found == nullptr;
      continue;
    }
    // The next quote is cached so that quote-free text is searched once,
    // not once per row.
    if (next_quote_ < scanned_) {
      int64_t from = std::max(scanned_, quote_searched_to_);
      const void* found = std::memchr(data + from, '"', size - from);
      next_quote_ = found ? static_cast<const uint8_t*>(found) - data : -1;
      quote_searched_to_ = found ? next_quote_ : size;
    }
    int64_t limit = next_quote_ >= 0 ? next_quote_ : size;
    const void* newline = std::memchr(data + scanned_, '\n', limit - scanned_);
    if (newline != nullptr) {
      if (EndRow(static_cast<const uint8_t*>(newline) - data)) {
        *cut = scanned_;
        return true;
      }
      continue;
    }
    if (next_quote_ < 0) {
      scanned_ = size;
      return false;
    }
    scanned_ = next_quote_ + 1;
    in_quote_ = true;
    quote_line_ = lines_;
  }
  return false;
}

int64_t RowChunker::BlockBytes() const {
  // A read lands in the chunk being built, and what lies past the cut is
  // copied into the next one, so blocks much larger than chunks would make
  // every chunk in flight hold a whole block.
  // Before the first chunk, guess rows of up to kGuessRowBytes.
  constexpr int64_t kMinBlockBytes = 64 << 10;
  constexpr int64_t kGuessRowBytes = 256;
  int64_t chunk_bytes = last_chunk_bytes_ > 0 ? last_chunk_bytes_ : options_.rows_per_chunk * kGuessRowBytes / 2;
  return std::min(options_.read_block_bytes, std::max(kMinBlockBytes, 2 * chunk_bytes));
}

Status RowChunker::ReadBlock() {
  int64_t want = std::min(BlockBytes(), end_offset_ - read_offset_);
  size_t size = pending_->size();
  if (size + want > pending_->capacity()) pending_->Reserve(std::max(size + want, 2 * pending_->capacity()));
  int64_t got = 0;
  Status status = file_->ReadAt(read_offset_, want, pending_->data() + size, &got);
  if (!status.ok()) return status;
  pending_->Resize(size + got);
  read_offset_ += got;
  // A short read means the file shrank under us; treat it as the end.
  if (got < want || read_offset_ >= end_offset_) eof_ = true;
  return Status::OK();
}

void RowChunker::Emit(int64_t cut, TextChunk* chunk) {
  const int64_t size = static_cast<int64_t>(pending_->size());
  auto rest = std::make_shared<Buffer>();
  int64_t expected = std::max(last_chunk_bytes_ + last_chunk_bytes_ / 8, size - cut);
  rest->Reserve(expected + BlockBytes());
  rest->Append(pending_->data() + cut, size - cut);

  pending_->Resize(cut);
  // The bytes past the cut are the next rows; zero them so that readers may
  // treat the padding as the end of the text.
  std::memset(pending_->data() + cut, 0, std::min<size_t>(64, pending_->capacity() - cut));
  chunk->bytes = std::move(pending_);
  chunk->index = next_index_++;
  chunk->first_line = first_line_;

  pending_ = std::move(rest);
  consumed_offset_ += cut;
  last_chunk_bytes_ = cut;
  first_line_ += lines_;
  scanned_ = row_start_ = rows_ = lines_ = 0;
  quote_searched_to_ = 0;
  next_quote_ = -1;
}

}  // namespace kiln
