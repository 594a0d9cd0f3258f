// Files: positional reads, and outputs that appear only when complete.
//
// OutputFile writes to a temporary name beside the final path and renames it
// on Commit(), so a killed run never leaves a file that looks complete.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "kiln/core/status.h"

namespace kiln {

class InputFile {
 public:
  static Result<std::unique_ptr<InputFile>> Open(const std::string& path);
  ~InputFile();

  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }
  // Reads up to `length` bytes at `offset`; *read_bytes < length only at EOF.
  Status ReadAt(int64_t offset, int64_t length, void* out, int64_t* read_bytes) const;
  // Reads exactly `length` bytes at `offset`, or fails naming the file.
  Status ReadExactly(int64_t offset, int64_t length, void* out) const;

 private:
  InputFile(std::string path, int fd, int64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}

  std::string path_;  // As given to Open(), for error messages.
  int fd_;            // Open read-only descriptor.
  int64_t size_;      // Bytes at open time.
};

class OutputFile {
 public:
  // Creates "<path>.tmp-<pid>-<n>" in the same directory.
  static Result<std::unique_ptr<OutputFile>> Create(const std::string& path);
  ~OutputFile();  // Removes the temporary file unless Commit() succeeded.

  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  const std::string& path() const { return path_; }
  int64_t bytes_written() const { return bytes_written_; }

  // Buffers and writes bytes in order.
  Status Append(std::string_view bytes);
  // Flushes, fsyncs nothing (speed over durability), closes and renames the
  // temporary file to path(). REQUIRES: not committed yet.
  Status Commit();

 private:
  OutputFile(std::string path, std::string temp_path, int fd)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}
  Status Flush();

  std::string path_;           // Final name.
  std::string temp_path_;      // Where bytes go until Commit().
  int fd_;                     // -1 once closed.
  std::string buffer_;         // Pending bytes, written in large blocks.
  int64_t bytes_written_ = 0;  // Total appended.
  bool committed_ = false;     // Commit() succeeded.
};

// Writes `contents` to `path` atomically.
Status WriteFileAtomically(const std::string& path, std::string_view contents);
// Reads a whole (small) file.
Result<std::string> ReadFileToString(const std::string& path);

}  // namespace kiln
