// YamlMapReader: typed reads from one YAML mapping of a user's file, with
// every message located ("study.yaml:4:3: parameter: ...").
//
// It remembers which keys were asked for, so that Finish() reports the first
// key nobody asked for as unknown, with the known ones listed: a typo in a
// config fails before any work instead of being silently ignored.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "kiln/core/data_type.h"
#include "kiln/core/status.h"

namespace kiln::config {

// "path:line:column" of `node` (1-based), or `path` when the node has no mark.
std::string YamlLocation(const std::string& path, const YAML::Node& node);

// The document in `text`; a syntax error names path:line:column.
Result<YAML::Node> ParseYaml(const std::string& text, const std::string& path);

class YamlMapReader {
 public:
  // `path` names the file; `what` names the mapping in messages ("step 2 (clip)").
  YamlMapReader(const YAML::Node& node, std::string path, const std::string& what);

  // InvalidArgument unless the node is a mapping.
  Status Check() const;
  // Whether `key` is present and not null; marks it as known either way.
  bool Has(const std::string& key);
  // The value node of `key` (undefined when absent); marks it as known.
  YAML::Node Node(const std::string& key);
  // "path:line:column: 'key'", for messages about the value of `key`.
  std::string At(const std::string& key) const;

  // Reads `key` into *out when present; leaves *out as it is otherwise.
  template <typename T>
  Status Get(const std::string& key, T* out) {
    if (!Has(key)) return Status::OK();
    try {
      *out = node_[key].as<T>();
    } catch (const YAML::Exception&) {
      return Status::InvalidArgument(At(key) + ": bad value");
    }
    return Status::OK();
  }
  // Leaves *out empty when the key is absent.
  template <typename T>
  Status GetOptional(const std::string& key, std::optional<T>* out) {
    if (!Has(key)) return Status::OK();
    T value{};
    Status status = Get(key, &value);
    if (status.ok()) *out = value;
    return status;
  }
  // A list of names, or a single name.
  Status GetNames(const std::string& key, std::vector<std::string>* out);
  // A type name as DataType::FromString reads it ("float32", "list<int32>").
  Status GetType(const std::string& key, DataType* out);
  // InvalidArgument when `key` is absent.
  Status Require(const std::string& key);
  // The first key that was never asked for, as an InvalidArgument.
  Status Finish() const;

  // "path:line:column: what", the prefix of this mapping's messages.
  const std::string& where() const { return where_; }
  const std::string& path() const { return path_; }

 private:
  const YAML::Node node_;       // The mapping read (a handle; const so lookups never insert).
  std::string path_;            // The file, for locations.
  std::string what_;            // Name of the mapping.
  std::string where_;           // Its location and name.
  std::set<std::string> used_;  // Keys asked for.
};

// Runs the reads in order and returns the first error.
Status FirstError(std::initializer_list<std::function<Status()>> reads);

}  // namespace kiln::config
