#include "kiln/data/remote_store.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "kiln/core/file.h"

namespace kiln::data {

namespace {

namespace fs = std::filesystem;

constexpr char kFileScheme[] = "file://";

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string LocalPath(const std::string& location) { return location.substr(sizeof(kFileScheme) - 1); }

class LocalStore : public RemoteStore {
 public:
  Result<std::vector<std::string>> List(const std::string& location) const override {
    auto files = ListLocalDataFiles(LocalPath(location));
    if (!files.ok()) return files.status();
    for (std::string& file : *files) file = kFileScheme + file;
    return files;
  }

  Result<RemoteFileInfo> Stat(const std::string& location) const override {
    struct stat info;
    if (::stat(LocalPath(location).c_str(), &info) != 0) return Status::FromErrno(location, errno);
    return RemoteFileInfo{info.st_size,
                          std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec)};
  }

  Status ReadRange(const std::string& location, int64_t offset, int64_t length, uint8_t* out) const override {
    auto file = InputFile::Open(LocalPath(location));
    if (!file.ok()) return file.status();
    return (*file)->ReadExactly(offset, length, out);
  }

  Status Download(const std::string& location, int64_t size, const std::string& path) const override {
    auto in = InputFile::Open(LocalPath(location));
    if (!in.ok()) return in.status();
    auto out = OutputFile::Create(path);
    if (!out.ok()) return out.status();
    std::string block(1 << 20, '\0');
    for (int64_t offset = 0; offset < size; offset += static_cast<int64_t>(block.size())) {
      int64_t length = std::min<int64_t>(block.size(), size - offset);
      Status status = (*in)->ReadExactly(offset, length, block.data());
      if (!status.ok()) return status;
      status = (*out)->Append(std::string_view(block.data(), length));
      if (!status.ok()) return status;
    }
    return (*out)->Commit();
  }
};

class HttpStore : public RemoteStore {
 public:
  explicit HttpStore(const HttpOptions& options) : client_(options) {}

  Result<std::vector<std::string>> List(const std::string& location) const override {
    std::string base = EndsWith(location, "/") ? location : location + "/";
    auto html = client_.GetText(base);
    if (!html.ok()) return html.status();
    std::vector<std::string> files = DataFileLinks(*html, base);
    if (files.empty()) return Status::NotFound(base + ": the directory index links no .parquet or .dlrm files");
    return files;
  }

  Result<RemoteFileInfo> Stat(const std::string& location) const override {
    auto head = client_.Head(location);
    if (!head.ok()) return head.status();
    return RemoteFileInfo{head->size, head->version};
  }

  Status ReadRange(const std::string& location, int64_t offset, int64_t length, uint8_t* out) const override {
    return client_.GetRange(location, offset, length, out);
  }

  Status Download(const std::string& location, int64_t size, const std::string& path) const override {
    return client_.Download(location, size, path);
  }

 private:
  HttpClient client_;  // Retries with backoff.
};

}  // namespace

bool IsRemoteLocation(const std::string& location) {
  return location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0 || location.rfind(kFileScheme, 0) == 0;
}

bool IsDataFileName(const std::string& name) {
  if (name.empty() || name[0] == '.' || name[0] == '_') return false;
  return EndsWith(name, ".parquet") || EndsWith(name, ".dlrm");
}

Result<std::vector<std::string>> ListLocalDataFiles(const std::string& directory) {
  std::vector<std::string> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name.empty() || name[0] == '_' || name[0] == '.')) {
      it.disable_recursion_pending();  // _state/ and hidden directories hold no rows.
    } else if (it->is_regular_file() && IsDataFileName(name)) {
      files.push_back(it->path().string());
    }
  }
  if (error) return Status::IOError(directory + ": " + error.message());
  if (files.empty()) return Status::NotFound(directory + ": no .parquet or .dlrm files");
  std::sort(files.begin(), files.end());
  return files;
}

std::unique_ptr<RemoteStore> MakeRemoteStore(const std::string& location, const HttpOptions& http) {
  if (location.rfind(kFileScheme, 0) == 0) return std::make_unique<LocalStore>();
  return std::make_unique<HttpStore>(http);
}

std::vector<std::string> DataFileLinks(const std::string& html, const std::string& base) {
  std::vector<std::string> files;
  const std::string marker = "href=\"";
  for (size_t at = html.find(marker); at != std::string::npos; at = html.find(marker, at + 1)) {
    size_t begin = at + marker.size();
    size_t end = html.find('"', begin);
    if (end == std::string::npos) break;
    std::string link = html.substr(begin, end - begin);
    // Only plain relative names: no subdirectories, queries or absolute URLs.
    if (link.find_first_of("/?#:") != std::string::npos || !IsDataFileName(link)) continue;
    files.push_back(base + link);
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace kiln::data
