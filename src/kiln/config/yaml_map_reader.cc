#include "kiln/config/yaml_map_reader.h"

namespace kiln::config {

std::string YamlLocation(const std::string& path, const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  if (mark.line < 0) return path;
  return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Result<YAML::Node> ParseYaml(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument(path + ":" + std::to_string(error.mark.line + 1) + ":" +
                                   std::to_string(error.mark.column + 1) + ": " + error.msg);
  }
}

YamlMapReader::YamlMapReader(const YAML::Node& node, std::string path, const std::string& what)
    : node_(node), path_(std::move(path)), what_(what), where_(YamlLocation(path_, node) + ": " + what) {}

Status YamlMapReader::Check() const {
  return node_.IsMap() ? Status::OK() : Status::InvalidArgument(where_ + ": expected a mapping");
}

bool YamlMapReader::Has(const std::string& key) {
  used_.insert(key);
  return node_[key].IsDefined() && !node_[key].IsNull();
}

YAML::Node YamlMapReader::Node(const std::string& key) {
  used_.insert(key);
  return node_[key];
}

std::string YamlMapReader::At(const std::string& key) const {
  return YamlLocation(path_, node_[key]) + ": '" + key + "'";
}

Status YamlMapReader::GetNames(const std::string& key, std::vector<std::string>* out) {
  if (!Has(key)) return Status::OK();
  if (node_[key].IsScalar()) return Get(key, &out->emplace_back());
  return Get(key, out);
}

Status YamlMapReader::GetType(const std::string& key, DataType* out) {
  std::string text;
  Status status = Get(key, &text);
  if (!status.ok() || text.empty()) return status;
  if (!DataType::FromString(text, out)) return Status::InvalidArgument(At(key) + ": unknown type '" + text + "'");
  return Status::OK();
}

Status YamlMapReader::Require(const std::string& key) {
  return Has(key) ? Status::OK() : Status::InvalidArgument(where_ + ": missing '" + key + "'");
}

Status YamlMapReader::Finish() const {
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) {
      return Status::InvalidArgument(YamlLocation(path_, entry.first) + ": " + what_ + ": keys must be plain text");
    }
    std::string key = entry.first.Scalar();
    if (used_.count(key)) continue;
    std::string known;
    for (const std::string& name : used_) known += (known.empty() ? "" : ", ") + name;
    return Status::InvalidArgument(YamlLocation(path_, entry.first) + ": " + what_ +
                                   ": unknown key '" + key + "' (known: " + known + ")");
  }
  return Status::OK();
}

Status FirstError(std::initializer_list<std::function<Status()>> reads) {
  for (const auto& read : reads) {
    Status status = read();
    if (!status.ok()) return status;
  }
  return Status::OK();
}

}  // namespace kiln::config
