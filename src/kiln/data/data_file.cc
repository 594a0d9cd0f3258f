#include "kiln/data/data_file.h"

namespace kiln::data {

namespace {

// Adds what `inner` returns to a counter.
class CountingSource : public parquet::ParquetSource {
 public:
  CountingSource(std::unique_ptr<parquet::ParquetSource> inner, std::atomic<int64_t>* bytes_read)
      : inner_(std::move(inner)), bytes_read_(bytes_read) {}
  const std::string& name() const override { return inner_->name(); }
  int64_t size() const override { return inner_->size(); }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    Status status = inner_->ReadAt(offset, length, out);
    if (status.ok()) bytes_read_->fetch_add(length, std::memory_order_relaxed);
    return status;
  }

 private:
  std::unique_ptr<parquet::ParquetSource> inner_;  // Does the reading.
  std::atomic<int64_t>* bytes_read_;               // Shared total.
};

// Reads a remote file by range requests.
class RangeSource : public parquet::ParquetSource {
 public:
  RangeSource(std::string location, int64_t size, const RemoteStore* store)
      : location_(std::move(location)), size_(size), store_(store) {}
  const std::string& name() const override { return location_; }
  int64_t size() const override { return size_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    if (offset < 0 || length < 0 || offset + length > size_) {
      return Status::Corruption(location_ + ": read of " + std::to_string(length) + " bytes at " +
                                std::to_string(offset) + " is past the end (" + std::to_string(size_) + " bytes)");
    }
    return store_->ReadRange(location_, offset, length, out);
  }

 private:
  std::string location_;      // URL or file:// location.
  int64_t size_;              // From Stat() at open.
  const RemoteStore* store_;  // Serves the ranges.
};

// Reads the cached copy of a remote file, fetching it when not cached (also
// after an eviction).
class CachedSource : public parquet::ParquetSource {
 public:
  CachedSource(std::string location, int64_t size, const RemoteAccess& access)
      : location_(std::move(location)), size_(size), access_(access) {}
  const std::string& name() const override { return location_; }
  int64_t size() const override { return size_; }
  Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const override {
    auto file = access_.cache->Open(*access_.store, location_);
    if (!file.ok()) return file.status();
    if ((*file)->size() != size_) {
      return Status::IOError(location_ + ": changed size while being read (" + std::to_string(size_) + " -> " +
                             std::to_string((*file)->size()) + " bytes)");
    }
    return (*file)->ReadExactly(offset, length, out);
  }

 private:
  std::string location_;  // URL or file:// location.
  int64_t size_;          // From Stat() at open.
  RemoteAccess access_;   // Store and cache.
};

}  // namespace

Result<std::unique_ptr<parquet::ParquetSource>> OpenDataFile(const std::string& location, const RemoteAccess& access,
                                                             std::atomic<int64_t>* bytes_read) {
  std::unique_ptr<parquet::ParquetSource> source;
  if (!IsRemoteLocation(location)) {
    auto local = parquet::OpenFileSource(location);
    if (!local.ok()) return local.status();
    source = std::move(*local);
  } else {
    auto info = access.store->Stat(location);
    if (!info.ok()) return info.status();
    if (access.cache != nullptr) {
      source = std::make_unique<CachedSource>(location, info->size, access);
    } else {
      source = std::make_unique<RangeSource>(location, info->size, access.store);
    }
  }
  return std::unique_ptr<parquet::ParquetSource>(std::make_unique<CountingSource>(std::move(source), bytes_read));
}

}  // namespace kiln::data
