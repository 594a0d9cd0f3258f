// HttpClient: the few HTTP requests a remote dataset needs, over Debian's
// libcurl: HEAD for size and version, ranged GET for column chunks, whole
// GET for cache downloads and directory listings.
//
// Transport failures, 408, 429 and 5xx answers are retried with exponential
// backoff, a bounded number of times; then the call fails with a message
// naming the URL and the last error. Other 4xx answers fail at once (404 is
// NotFound). Every call uses its own curl handle, so calls are thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/status.h"

namespace kiln::data {

struct HttpOptions {
  int max_attempts = 4;           // Tries per request, the first included; >= 1.
  int initial_backoff_ms = 100;   // Wait before the second try; doubles each time.
  int max_backoff_ms = 2000;      // Cap on one wait.
  int connect_timeout_ms = 5000;  // Per attempt.
  int low_speed_timeout_s = 30;   // Abort an attempt that stalls this long.
};

struct HttpFileInfo {
  int64_t size = 0;     // Content-Length.
  std::string version;  // The ETag, else Last-Modified; empty if neither.
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});

  Result<HttpFileInfo> Head(const std::string& url) const;
  // Exactly `length` bytes at `offset` via a Range request; a server that
  // ignores Range (200 with the whole body) is accepted and sliced.
  Status GetRange(const std::string& url, int64_t offset, int64_t length, uint8_t* out) const;
  // The whole body into `path`, written under a temporary name and renamed
  // only when exactly `expected_size` bytes arrived (a retry starts over).
  Status Download(const std::string& url, int64_t expected_size, const std::string& path) const;
  // A small whole body, e.g. a directory listing.
  Result<std::string> GetText(const std::string& url) const;

  struct Request;  // One request and its answer; defined in the .cc.

 private:
  // Runs `request` with retries; the body goes to its sink.
  Status Perform(Request* request) const;

  HttpOptions options_;  // Retries and timeouts.
};

}  // namespace kiln::data
