#include "kiln/core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace kiln {

namespace {
constexpr size_t kWriteBlock = 1 << 20;  // Bytes buffered before a write().

Status WriteAll(int fd, const char* data, size_t length, const std::string& path) {
  while (length > 0) {
    ssize_t written = ::write(fd, data, length);
    if (written < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("write " + path, errno);
    }
    data += written;
    length -= written;
  }
  return Status::OK();
}
}  // namespace

Result<std::unique_ptr<InputFile>> InputFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    return Status::FromErrno("stat " + path, error);
  }
  if (S_ISDIR(info.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + " is a directory, expected a file");
  }
  return std::unique_ptr<InputFile>(new InputFile(path, fd, info.st_size));
}

InputFile::~InputFile() { ::close(fd_); }

Status InputFile::ReadAt(int64_t offset, int64_t length, void* out, int64_t* read_bytes) const {
  char* target = static_cast<char*>(out);
  int64_t total = 0;
  while (total < length) {
    ssize_t got = ::pread(fd_, target + total, length - total, offset + total);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("read " + path_, errno);
    }
    if (got == 0) break;
    total += got;
  }
  *read_bytes = total;
  return Status::OK();
}

Status InputFile::ReadExactly(int64_t offset, int64_t length, void* out) const {
  int64_t got = 0;
  Status status = ReadAt(offset, length, out, &got);
  if (!status.ok()) return status;
  if (got != length) {
    return Status::Corruption(path_ + ": unexpected end of file: wanted " + std::to_string(length) +
                              " bytes at offset " + std::to_string(offset) + ", file has " +
                              std::to_string(size_));
  }
  return Status::OK();
}

Result<std::unique_ptr<OutputFile>> OutputFile::Create(const std::string& path) {
  static std::atomic<int> counter{0};
  std::string temp_path = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("create " + temp_path, errno);
  return std::unique_ptr<OutputFile>(new OutputFile(path, temp_path, fd));
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

Status OutputFile::Append(std::string_view bytes) {
  bytes_written_ += bytes.size();
  if (buffer_.size() + bytes.size() < kWriteBlock) {
    buffer_.append(bytes);
    return Status::OK();
  }
  Status status = Flush();
  if (!status.ok()) return status;
  if (bytes.size() >= kWriteBlock) return WriteAll(fd_, bytes.data(), bytes.size(), temp_path_);
  buffer_.append(bytes);
  return Status::OK();
}

Status OutputFile::Flush() {
  Status status = WriteAll(fd_, buffer_.data(), buffer_.size(), temp_path_);
  buffer_.clear();
  return status;
}

Status OutputFile::Commit() {
  Status status = Flush();
  if (!status.ok()) return status;
  if (::close(fd_) != 0) {
    fd_ = -1;
    return Status::FromErrno("close " + temp_path_, errno);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) return Status::FromErrno("rename to " + path_, errno);
  committed_ = true;
  return Status::OK();
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  Status status = (*file)->Append(contents);
  if (!status.ok()) return status;
  return (*file)->Commit();
}

Result<std::string> ReadFileToString(const std::string& path) {
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  std::string contents((*file)->size(), '\0');
  Status status = (*file)->ReadExactly(0, contents.size(), contents.data());
  if (!status.ok()) return status;
  return contents;
}

}  // namespace kiln
