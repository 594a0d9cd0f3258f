// Opening one data file of a dataset for positional reads, wherever it is:
//
//   a local path                    pread;
//   remote, no cache                range requests for exactly the bytes
//                                   asked (Parquet reads the footer, then
//                                   only the projected column chunks);
//   remote, with a FileCache        the cached local copy, downloaded whole
//                                   on first use.
//
// Every source counts the bytes it returns into a shared counter, the
// loader's "bytes read" metric.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "kiln/data/file_cache.h"
#include "kiln/data/remote_store.h"
#include "kiln/parquet/file_reader.h"

namespace kiln::data {

// Where remote files come from and whether they are cached.
struct RemoteAccess {
  const RemoteStore* store = nullptr;  // Required for remote locations.
  FileCache* cache = nullptr;          // Null: range requests.
};

// REQUIRES: access.store is set when IsRemoteLocation(location); the store,
// cache and counter outlive the source.
Result<std::unique_ptr<parquet::ParquetSource>> OpenDataFile(const std::string& location, const RemoteAccess& access,
                                                             std::atomic<int64_t>* bytes_read);

}  // namespace kiln::data
