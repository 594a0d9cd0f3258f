// RemoteStore: files at a slow or remote location, read by range or copied
// whole.
//
//   http://... https://...  a static file server (HttpStore, via HttpClient);
//                            a directory URL ends in '/' and is listed from
//                            its HTML index (the hrefs of data files).
//   file:///path            a local directory treated as remote (LocalStore),
//                            so tests and slow mounts take the same path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/data/http_client.h"

namespace kiln::data {

// Whether `location` names an http(s):// or file:// location.
bool IsRemoteLocation(const std::string& location);

struct RemoteFileInfo {
  int64_t size = 0;     // Bytes.
  std::string version;  // ETag or modification time: changes when the file does.
};

class RemoteStore {
 public:
  virtual ~RemoteStore() = default;
  // The data files (*.parquet, *.dlrm) in the directory `location`, as full
  // locations sorted by name. NotFound naming it when there are none.
  virtual Result<std::vector<std::string>> List(const std::string& location) const = 0;
  virtual Result<RemoteFileInfo> Stat(const std::string& location) const = 0;
  // Exactly `length` bytes at `offset`.
  virtual Status ReadRange(const std::string& location, int64_t offset, int64_t length, uint8_t* out) const = 0;
  // Copies the whole file to `path` under a temporary name, renamed only
  // when all `size` bytes arrived.
  virtual Status Download(const std::string& location, int64_t size, const std::string& path) const = 0;
};

// The store for `location`'s scheme. REQUIRES: IsRemoteLocation(location)
std::unique_ptr<RemoteStore> MakeRemoteStore(const std::string& location, const HttpOptions& http);

// The hrefs in an HTML directory index that name data files, resolved
// against `base` (which ends in '/'), sorted. Exposed for tests.
std::vector<std::string> DataFileLinks(const std::string& html, const std::string& base);

// Whether a file name is a data file a dataset directory holds: *.parquet
// or *.dlrm, not hidden and not starting with '_' (like _state/).
bool IsDataFileName(const std::string& name);

// The data files under a local directory, recursively, sorted by path.
// NotFound naming it when there are none.
Result<std::vector<std::string>> ListLocalDataFiles(const std::string& directory);

}  // namespace kiln::data
