#include "kiln/data/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "kiln/core/file.h"

namespace kiln::data {

namespace {

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

bool Retryable(long http_status) { return http_status == 408 || http_status == 429 || http_status >= 500; }

// Copies the value of header `name` (lower case, with the colon) from `line`.
bool HeaderValue(const std::string& line, const char* name, std::string* value) {
  size_t length = std::strlen(name);
  if (line.size() < length || strncasecmp(line.data(), name, length) != 0) return false;
  std::string text = line.substr(length);
  size_t begin = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t\r\n");
  *value = begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
  return true;
}

}  // namespace

// One request: what to ask for, where the body goes, what came back.
struct HttpClient::Request {
  std::string url;
  bool head = false;                                // HEAD instead of GET.
  std::string range;                                // "a-b" or empty.
  std::function<void()> start;                      // Called before each attempt.
  std::function<bool(const char*, size_t)> sink;    // Takes body bytes; false aborts.
  std::function<Status()> finish;                   // Checks a 2xx body; non-OK retries.
  long http_status = 0;                             // Of the last attempt, from its status line.
  std::string headers;                              // Raw header lines of the last attempt.
  std::string etag, last_modified, content_length;  // Headers of the last attempt.
};

namespace {

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<std::function<bool(const char*, size_t)>*>(user);
  return (*sink)(data, size * count) ? size * count : 0;
}

// Keeps the header lines, and the status of each status line as it arrives
// so body sinks can tell a 206 from a 200.
size_t WriteHeader(char* data, size_t size, size_t count, void* user) {
  auto* request = static_cast<HttpClient::Request*>(user);
  std::string line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    request->headers.clear();
    size_t space = line.find(' ');
    request->http_status = space == std::string::npos ? 0 : std::strtol(line.c_str() + space + 1, nullptr, 10);
  }
  request->headers += line;
  return size * count;
}

}  // namespace

HttpClient::HttpClient(HttpOptions options) : options_(options) { InitializeCurlOnce(); }

Status HttpClient::Perform(Request* request) const {
  std::string last_error;
  int backoff_ms = options_.initial_backoff_ms;
  for (int attempt = 1; attempt <= std::max(1, options_.max_attempts); ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
      backoff_ms = std::min(2 * backoff_ms, options_.max_backoff_ms);
    }
    if (request->start) request->start();
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return Status::Internal("curl_easy_init failed for " + request->url);
    request->headers.clear();
    request->http_status = 0;
    std::function<bool(const char*, size_t)> discard = [](const char*, size_t) { return true; };
    auto* sink = request->sink ? &request->sink : &discard;
    char error_buffer[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl.get(), CURLOPT_URL, request->url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, request->head ? 1L : 0L);
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.low_speed_timeout_s));
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, WriteBody);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, WriteHeader);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, request);
    if (!request->range.empty()) curl_easy_setopt(curl.get(), CURLOPT_RANGE, request->range.c_str());
    CURLcode code = curl_easy_perform(curl.get());
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &request->http_status);
    if (code != CURLE_OK) {
      last_error = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
      continue;
    }
    if (request->http_status >= 300) {
      last_error = "HTTP " + std::to_string(request->http_status);
      if (request->http_status == 404) return Status::NotFound(request->url + ": " + last_error);
      if (!Retryable(request->http_status)) return Status::IOError(request->url + ": " + last_error);
      continue;
    }
    const std::string& headers = request->headers;  // Of the final response only.
    request->etag.clear();
    request->last_modified.clear();
    request->content_length.clear();
    for (size_t line_start = 0; line_start < headers.size();) {
      size_t line_end = headers.find('\n', line_start);
      if (line_end == std::string::npos) line_end = headers.size();
      std::string line = headers.substr(line_start, line_end - line_start);
      HeaderValue(line, "etag:", &request->etag) || HeaderValue(line, "last-modified:", &request->last_modified) ||
          HeaderValue(line, "content-length:", &request->content_length);
      line_start = line_end + 1;
    }
    Status checked = request->finish ? request->finish() : Status::OK();
    if (checked.ok()) return checked;
    last_error = checked.message();
  }
  return Status::IOError(request->url + ": failed after " + std::to_string(std::max(1, options_.max_attempts)) +
                         " attempts: " + last_error);
}

Result<HttpFileInfo> HttpClient::Head(const std::string& url) const {
  Request request;
  request.url = url;
  request.head = true;
  HttpFileInfo info;
  request.finish = [&]() -> Status {
    char* end = nullptr;
    long long size = std::strtoll(request.content_length.c_str(), &end, 10);
    if (request.content_length.empty() || *end != '\0' || size < 0) {
      return Status::IOError("no Content-Length in the HEAD answer");
    }
    info.size = size;
    info.version = !request.etag.empty() ? request.etag : request.last_modified;
    return Status::OK();
  };
  Status status = Perform(&request);
  if (!status.ok()) return status;
  return info;
}

Status HttpClient::GetRange(const std::string& url, int64_t offset, int64_t length, uint8_t* out) const {
  if (length == 0) return Status::OK();
  Request request;
  request.url = url;
  request.range = std::to_string(offset) + "-" + std::to_string(offset + length - 1);
  int64_t position = 0;  // Of the next body byte within the answer.
  int64_t skip = 0;      // Leading bytes to drop when the server sent the whole file.
  int64_t copied = 0;
  request.start = [&] { position = copied = 0; };
  request.sink = [&](const char* data, size_t size) {
    if (position == 0) skip = request.http_status == 200 ? offset : 0;
    for (size_t i = 0; i < size; ++i, ++position) {
      if (position >= skip && position - skip < length) out[copied++] = static_cast<uint8_t>(data[i]);
    }
    return true;
  };
  request.finish = [&]() -> Status {
    if (copied != length) {
      return Status::IOError("range " + request.range + ": got " + std::to_string(copied) + " of " +
                             std::to_string(length) + " bytes");
    }
    return Status::OK();
  };
  return Perform(&request);
}

Status HttpClient::Download(const std::string& url, int64_t expected_size, const std::string& path) const {
  Request request;
  request.url = url;
  std::unique_ptr<OutputFile> file;
  Status write_status;
  request.start = [&] {
    file.reset();
    auto created = OutputFile::Create(path);
    write_status = created.ok() ? Status::OK() : created.status();
    if (created.ok()) file = std::move(*created);
  };
  request.sink = [&](const char* data, size_t size) {
    if (!write_status.ok()) return false;
    write_status = file->Append(std::string_view(data, size));
    return write_status.ok();
  };
  request.finish = [&]() -> Status {
    if (!write_status.ok()) return write_status;
    if (file->bytes_written() != expected_size) {
      return Status::IOError("got " + std::to_string(file->bytes_written()) + " of " + std::to_string(expected_size) +
                             " bytes");
    }
    return file->Commit();
  };
  Status status = Perform(&request);
  return write_status.ok() ? status : write_status;
}

Result<std::string> HttpClient::GetText(const std::string& url) const {
  Request request;
  request.url = url;
  std::string body;
  request.start = [&] { body.clear(); };
  request.sink = [&](const char* data, size_t size) {
    body.append(data, size);
    return true;
  };
  Status status = Perform(&request);
  if (!status.ok()) return status;
  return body;
}

}  // namespace kiln::data
