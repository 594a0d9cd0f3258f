#include "kiln/data/file_cache.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>

namespace kiln::data {

namespace {

namespace fs = std::filesystem;

// A stable file name for a location (FNV-1a 64, in hex).
std::string HashName(const std::string& location) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : location) hash = (hash ^ c) * 1099511628211ULL;
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::string MetaText(const std::string& location, int64_t size, const std::string& version) {
  return location + "\n" + std::to_string(size) + "\n" + version + "\n";
}

}  // namespace

Result<std::unique_ptr<FileCache>> FileCache::Open(const CacheOptions& options) {
  if (options.directory.empty()) return Status::InvalidArgument("the cache needs a directory");
  if (options.limit_bytes < 0) return Status::InvalidArgument("the cache size limit must not be negative");
  std::error_code error;
  fs::create_directories(options.directory, error);
  if (error) return Status::IOError("cannot create cache directory " + options.directory + ": " + error.message());
  std::unique_ptr<FileCache> cache(new FileCache(options));
  Status status = cache->Scan();
  if (!status.ok()) return status;
  return cache;
}

Status FileCache::Scan() {
  std::error_code error;
  std::vector<std::pair<int64_t, std::string>> by_age;  // (mtime, stem)
  for (const auto& item : fs::directory_iterator(options_.directory, error)) {
    const std::string path = item.path().string();
    if (path.find(".tmp-") != std::string::npos) {
      fs::remove(path, error);  // An interrupted download.
      continue;
    }
    if (item.path().extension() != ".data") continue;
    std::string stem = path.substr(0, path.size() - 5);
    struct stat info;
    if (::stat(path.c_str(), &info) == 0)
      by_age.push_back({info.st_mtim.tv_sec * 1000000000LL + info.st_mtim.tv_nsec, stem});
  }
  if (error) return Status::IOError(options_.directory + ": " + error.message());
  std::sort(by_age.begin(), by_age.end());
  for (const auto& [mtime, stem] : by_age) {
    auto meta = ReadFileToString(stem + ".meta");
    std::istringstream lines(meta.ok() ? *meta : "");
    std::string location, size_text, version;
    std::getline(lines, location);
    std::getline(lines, size_text);
    std::getline(lines, version);
    std::error_code size_error;
    int64_t size = static_cast<int64_t>(fs::file_size(stem + ".data", size_error));
    if (!meta.ok() || location.empty() || size_error || size_text != std::to_string(size)) {
      fs::remove(stem + ".data", error);  // Data without a matching description.
      fs::remove(stem + ".meta", error);
      continue;
    }
    Entry entry{stem, size, version, ++clock_, false, nullptr};
    total_bytes_ += size;
    entries_[location] = std::move(entry);
  }
  return Status::OK();
}

Result<FileCache::Entry> FileCache::Refresh(const RemoteStore& store, const std::string& location, const Entry* cached,
                                            bool* downloaded) {
  auto info = store.Stat(location);
  if (!info.ok()) return info.status();
  Entry entry;
  if (cached != nullptr) entry = *cached;
  if (cached == nullptr) entry.stem = options_.directory + "/" + HashName(location);
  bool valid = cached && cached->size == info->size && cached->version == info->version;
  *downloaded = !valid;
  if (!valid) {
    entry.file.reset();
    Status status = store.Download(location, info->size, entry.stem + ".data");
    if (!status.ok()) return status;
    status = WriteFileAtomically(entry.stem + ".meta", MetaText(location, info->size, info->version));
    if (!status.ok()) return status;
    entry.size = info->size;
    entry.version = info->version;
  }
  if (valid && entry.file == nullptr) {
    // Mark the reuse on disk, so the LRU order survives a restart.
    std::error_code ignored;
    fs::last_write_time(entry.stem + ".data", fs::file_time_type::clock::now(), ignored);
  }
  if (entry.file == nullptr) {
    auto file = InputFile::Open(entry.stem + ".data");
    if (!file.ok()) return file.status();
    entry.file = std::move(*file);
  }
  entry.checked = true;
  return entry;
}

Result<std::shared_ptr<InputFile>> FileCache::Open(const RemoteStore& store, const std::string& location) {
  std::unique_lock<std::mutex> lock(mutex_);
  download_done_.wait(lock, [&] { return busy_.count(location) == 0; });
  auto found = entries_.find(location);
  if (found != entries_.end() && found->second.checked) {
    found->second.last_use = ++clock_;
    ++metrics_.hits;
    return found->second.file;
  }
  std::optional<Entry> cached;
  if (found != entries_.end()) cached = found->second;
  busy_.insert(location);
  lock.unlock();
  bool downloaded = false;
  auto refreshed = Refresh(store, location, cached ? &*cached : nullptr, &downloaded);
  lock.lock();
  busy_.erase(location);
  download_done_.notify_all();
  if (!refreshed.ok()) return refreshed.status();
  Entry entry = std::move(*refreshed);
  if (downloaded) {
    ++metrics_.misses;
    metrics_.bytes_downloaded += entry.size;
  } else {
    ++metrics_.hits;
  }
  auto previous = entries_.find(location);
  if (previous != entries_.end()) total_bytes_ -= previous->second.size;
  entry.last_use = ++clock_;
  total_bytes_ += entry.size;
  std::shared_ptr<InputFile> file = entry.file;
  entries_[location] = std::move(entry);
  EvictLocked(location);
  return file;
}

void FileCache::EvictLocked(const std::string& keep) {
  while (total_bytes_ > options_.limit_bytes) {
    auto oldest = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == keep || busy_.count(it->first)) continue;
      if (oldest == entries_.end() || it->second.last_use < oldest->second.last_use) oldest = it;
    }
    if (oldest == entries_.end()) return;
    std::error_code ignored;
    fs::remove(oldest->second.stem + ".meta", ignored);
    fs::remove(oldest->second.stem + ".data", ignored);
    total_bytes_ -= oldest->second.size;
    ++metrics_.evictions;
    entries_.erase(oldest);
  }
}

Status FileCache::Prefetch(const RemoteStore& store, const std::vector<std::string>& locations) {
  for (const std::string& location : locations) {
    auto file = Open(store, location);
    if (!file.ok()) return file.status();
  }
  return Status::OK();
}

Status FileCache::Flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  download_done_.wait(lock, [&] { return busy_.empty(); });
  for (const auto& [location, entry] : entries_) {
    std::error_code error;
    fs::remove(entry.stem + ".meta", error);
    fs::remove(entry.stem + ".data", error);
    if (error) return Status::IOError("cannot remove " + entry.stem + ".data from the cache: " + error.message());
  }
  entries_.clear();
  total_bytes_ = 0;
  return Status::OK();
}

bool FileCache::Contains(const std::string& location) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.count(location) > 0;
}

int64_t FileCache::size_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_bytes_;
}

CacheMetrics FileCache::metrics() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return metrics_;
}

}  // namespace kiln::data
