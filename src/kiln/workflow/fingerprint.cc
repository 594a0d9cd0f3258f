#include "kiln/workflow/fingerprint.h"

#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "kiln/core/file.h"
#include "kiln/core/hash.h"
#include "kiln/io/json_format.h"

namespace kiln::workflow {

namespace {

constexpr int64_t kHashLimit = 1 << 20;  // Files up to this size are hashed; larger ones stamped by size and time.

std::string Hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016" PRIx64, value);
  return text;
}

}  // namespace

Result<std::string> StampFile(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return Status::FromErrno(path, errno);
  if (info.st_size <= kHashLimit) {
    auto contents = ReadFileToString(path);
    if (!contents.ok()) return contents.status();
    return "fnv1a64:" + Hex(Fnv1a64(*contents));
  }
  const int64_t mtime_ns = static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
  return "size:" + std::to_string(info.st_size) + " mtime_ns:" + std::to_string(mtime_ns);
}

namespace {

// A file's stamp, or one per file of a directory, in path order.
Status StampPath(const std::string& path, std::vector<FileStamp>* stamps) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Status::NotFound(path + ": no such file or directory");
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path, error)) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(path, error)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    if (error) return Status::IOError(path + ": " + error.message());
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const std::string& file : files) {
    auto stamp = StampFile(file);
    if (!stamp.ok()) return stamp.status();
    stamps->push_back({file, *stamp});
  }
  return Status::OK();
}

}  // namespace

Result<StageFingerprint> ComputeFingerprint(std::string stage, std::string kiln_version, std::string config,
                                            std::vector<std::pair<std::string, std::string>> upstream,
                                            const std::vector<std::string>& paths) {
  StageFingerprint fingerprint{
      std::move(stage), std::move(kiln_version), std::move(config), std::move(upstream), {}, ""};
  for (const std::string& path : paths) {
    Status status = StampPath(path, &fingerprint.files);
    if (!status.ok()) return status.WithContext("stage '" + fingerprint.stage + "'");
  }
  // Every part ends in a newline and names what it is, so no two inputs hash the same text.
  std::string text = "kiln " + fingerprint.kiln_version + "\nstage " + fingerprint.stage + "\nconfig\n" +
                     fingerprint.config + "end config\n";
  for (const auto& [name, hash] : fingerprint.upstream) text += "upstream " + name + " " + hash + "\n";
  for (const FileStamp& file : fingerprint.files) text += "file " + file.path + " " + file.stamp + "\n";
  fingerprint.hash = Hex(Fnv1a64(text));
  return fingerprint;
}

std::string FingerprintJson(const StageFingerprint& fingerprint, double seconds) {
  std::string json = "{\"stage\": ";
  AppendJsonString(&json, fingerprint.stage);
  json += ", \"fingerprint\": \"" + fingerprint.hash + "\", \"kiln_version\": ";
  AppendJsonString(&json, fingerprint.kiln_version);
  json += ", \"config\": ";
  AppendJsonString(&json, fingerprint.config);
  json += ", \"upstream\": {";
  for (size_t i = 0; i < fingerprint.upstream.size(); ++i) {
    if (i > 0) json += ", ";
    AppendJsonString(&json, fingerprint.upstream[i].first);
    json += ": \"" + fingerprint.upstream[i].second + "\"";
  }
  json += "}, \"files\": [";
  for (size_t i = 0; i < fingerprint.files.size(); ++i) {
    json += i > 0 ? ", {\"path\": " : "{\"path\": ";
    AppendJsonString(&json, fingerprint.files[i].path);
    json += ", \"stamp\": \"" + fingerprint.files[i].stamp + "\"}";
  }
  char text[64];
  std::snprintf(text, sizeof(text), "], \"seconds\": %.3f}\n", seconds);
  return json + text;
}

std::string RecordedHash(const std::string& record_path) {
  auto text = ReadFileToString(record_path);
  if (!text.ok()) return "";
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view hash;
  if (parser.parse(*text).get(root) || root["fingerprint"].get(hash)) return "";
  return std::string(hash);
}

}  // namespace kiln::workflow
