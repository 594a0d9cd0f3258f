// StaticHttpServer: a small static file server for tests, on 127.0.0.1 and
// an ephemeral port, serving one directory the way nginx or any CDN would:
// GET and HEAD, single "Range: bytes=a-b" requests (206), an ETag and
// Content-Length on every file, and an HTML index with links for paths that
// end in '/'. (Python's http.server has no Range support.)
//
// Faults can be injected to test retries and partial downloads: the next n
// requests answer with a given status, or send only half of the body and
// close the connection.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace kiln::testing {

class StaticHttpServer {
 public:
  // Starts serving `root`; throws std::runtime_error if it cannot listen.
  explicit StaticHttpServer(std::string root);
  ~StaticHttpServer();  // Stops and joins.

  StaticHttpServer(const StaticHttpServer&) = delete;
  StaticHttpServer& operator=(const StaticHttpServer&) = delete;

  // "http://127.0.0.1:<port>/"
  std::string base_url() const;

  // The next `count` requests answer `status` with an empty body.
  void FailNext(int count, int status) {
    fail_status_ = status;
    fail_count_ = count;
  }
  // The next `count` GETs of a whole file send half the body, then close.
  void TruncateNext(int count) { truncate_count_ = count; }

  int64_t requests() const { return requests_; }              // All requests answered.
  int64_t range_requests() const { return range_requests_; }  // Of those, with a Range header.
  int64_t file_bytes() const { return file_bytes_; }          // Body bytes of files (not indexes) sent.

 private:
  void Serve();
  void Handle(int connection);

  std::string root_;                    // Directory served.
  int listen_fd_ = -1;                  // Bound to 127.0.0.1.
  int port_ = 0;                        // Chosen by the kernel.
  std::atomic<bool> stopping_{false};   // Set by the destructor.
  std::atomic<int> fail_count_{0};      // Requests left to fail.
  std::atomic<int> fail_status_{503};   // Their status.
  std::atomic<int> truncate_count_{0};  // Whole-file GETs left to cut short.
  std::atomic<int64_t> requests_{0};
  std::atomic<int64_t> range_requests_{0};
  std::atomic<int64_t> file_bytes_{0};
  std::thread thread_;  // Accepts and answers, one connection at a time.
};

}  // namespace kiln::testing
