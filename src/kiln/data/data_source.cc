#include "kiln/data/data_source.h"

#include <filesystem>

#include "kiln/data/dlrm_source.h"
#include "kiln/data/parquet_source.h"

namespace kiln::data {

namespace {

bool IsDlrmFile(const std::string& location) {
  return location.size() >= 5 && location.compare(location.size() - 5, 5, ".dlrm") == 0;
}

bool IsDirectory(const std::string& path) {
  if (!IsRemoteLocation(path)) {
    std::error_code ignored;
    return std::filesystem::is_directory(path, ignored);
  }
  if (path.back() == '/') return true;
  if (path.rfind("file://", 0) != 0) return false;
  std::error_code ignored;
  return std::filesystem::is_directory(path.substr(7), ignored);
}

}  // namespace

Result<std::vector<std::string>> ListDatasetFiles(const std::vector<std::string>& paths, const RemoteStore* store) {
  if (paths.empty()) return Status::InvalidArgument("no dataset paths given");
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    if (path.empty()) return Status::InvalidArgument("an empty dataset path");
    if (IsRemoteLocation(path) && store == nullptr) return Status::InvalidArgument(path + ": no remote store given");
    if (!IsDirectory(path)) {
      files.push_back(path);
      continue;
    }
    auto listed = IsRemoteLocation(path) ? store->List(path) : ListLocalDataFiles(path);
    if (!listed.ok()) return listed.status();
    files.insert(files.end(), listed->begin(), listed->end());
  }
  return files;
}

Result<std::unique_ptr<DataSource>> DataSource::Open(const SourceOptions& options) {
  auto files = ListDatasetFiles(options.paths, options.remote.store);
  if (!files.ok()) return files.status();
  const bool dlrm = IsDlrmFile(files->front());
  for (const std::string& file : *files) {
    if (IsDlrmFile(file) != dlrm) {
      return Status::InvalidArgument(file + ": a dataset holds one format, but " + files->front() + " is " +
                                     (dlrm ? "DLRM binary" : "Parquet"));
    }
  }
  if (dlrm) return DlrmDataSource::Open(std::move(*files), options);
  return ParquetDataSource::Open(std::move(*files), options);
}

}  // namespace kiln::data
