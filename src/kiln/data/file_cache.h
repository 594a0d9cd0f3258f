// FileCache: a local directory holding whole copies of remote files, with a
// size limit and least-recently-used eviction, that survives restarts.
//
// Each file is stored as <hash>.data plus <hash>.meta (its location, size
// and version). Downloads go to a temporary name and are renamed when
// complete, and the .meta is written after the data, so an interrupted
// download never leaves an entry that looks valid. After a restart an entry
// is reused when the remote file still has the same size and version (ETag,
// Last-Modified or mtime); the first use in a process checks that once.
//
// Eviction deletes the least recently used entries until the total fits the
// limit; the file just opened is never evicted, and readers that hold an
// evicted file keep reading it (its space returns when they close it).
// Thread-safe: concurrent opens of one location share one download.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kiln/core/file.h"
#include "kiln/core/status.h"
#include "kiln/data/remote_store.h"

namespace kiln::data {

struct CacheOptions {
  std::string directory;                    // Created if missing.
  int64_t limit_bytes = int64_t{16} << 30;  // Total size of cached files; >= 0.
};

struct CacheMetrics {
  int64_t hits = 0;              // Opens served by a cached copy.
  int64_t misses = 0;            // Opens that downloaded the file.
  int64_t bytes_downloaded = 0;  // By those downloads.
  int64_t evictions = 0;         // Entries deleted to fit the limit.
};

class FileCache {
 public:
  // Creates the directory, deletes leftover temporary files and entries
  // without their other half, and indexes the rest by last use (mtime).
  static Result<std::unique_ptr<FileCache>> Open(const CacheOptions& options);

  FileCache(const FileCache&) = delete;
  FileCache& operator=(const FileCache&) = delete;

  // The local copy of `location`, downloaded from `store` unless a valid
  // copy is cached; marks it most recently used and evicts to the limit.
  Result<std::shared_ptr<InputFile>> Open(const RemoteStore& store, const std::string& location);
  // Opens each location in order, so they are cached ahead of use.
  Status Prefetch(const RemoteStore& store, const std::vector<std::string>& locations);
  // Deletes every entry.
  Status Flush();

  // Whether `location` has an entry (valid or not yet checked).
  bool Contains(const std::string& location) const;
  int64_t size_bytes() const;
  CacheMetrics metrics() const;

 private:
  struct Entry {
    std::string stem;                 // Directory + "/" + hash, without .data/.meta.
    int64_t size = 0;                 // Bytes of the data file.
    std::string version;              // Remote version when downloaded.
    int64_t last_use = 0;             // Larger is more recent.
    bool checked = false;             // Matched the remote version in this process.
    std::shared_ptr<InputFile> file;  // Open copy, once used.
  };

  explicit FileCache(CacheOptions options) : options_(std::move(options)) {}
  Status Scan();
  // Revalidates `cached` (may be null) against the remote file, downloading
  // it when stale or absent (then sets *downloaded). Runs outside the lock.
  Result<Entry> Refresh(const RemoteStore& store, const std::string& location, const Entry* cached, bool* downloaded);
  // Deletes least recently used entries other than `keep` to fit the limit.
  // REQUIRES: mutex_ held.
  void EvictLocked(const std::string& keep);

  CacheOptions options_;                   // Directory and limit.
  mutable std::mutex mutex_;               // Guards everything below.
  std::condition_variable download_done_;  // Signals a finished entry in busy_.
  std::map<std::string, Entry> entries_;   // By location.
  std::set<std::string> busy_;             // Locations being downloaded or checked.
  int64_t total_bytes_ = 0;                // Sum of entries' sizes.
  int64_t clock_ = 0;                      // Source of last_use values.
  CacheMetrics metrics_;                   // Counters.
};

}  // namespace kiln::data
