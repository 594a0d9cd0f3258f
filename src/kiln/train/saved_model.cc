#include "kiln/train/saved_model.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "kiln/core/file.h"

namespace kiln::train {

namespace {

std::string JoinSizes(const std::vector<int64_t>& sizes) {
  std::string text;
  for (int64_t size : sizes) text += (text.empty() ? "" : "-") + std::to_string(size);
  return text;
}

}  // namespace

std::string WeightsPath(const std::string& model_directory) { return model_directory + "/weights.kckp"; }

Status WriteModelInfo(const std::string& directory, const SavedModelInfo& info) {
  YAML::Emitter out;
  out << YAML::DoubleQuoted << YAML::Flow << YAML::BeginMap;
  out << YAML::Key << "model" << YAML::Value << "dlrm";
  out << YAML::Key << "arch_mlp_bot" << YAML::Value << JoinSizes(info.config.bottom_mlp);
  out << YAML::Key << "arch_mlp_top" << YAML::Value << JoinSizes(info.config.top_mlp);
  out << YAML::Key << "emb_dim" << YAML::Value << info.config.embedding_dim;
  out << YAML::Key << "interaction" << YAML::Value
      << (info.config.interaction == models::Interaction::kDot ? "dot" : "cat");
  out << YAML::Key << "table_rows" << YAML::Value << info.config.table_rows;
  out << YAML::Key << "label" << YAML::Value << info.mapping.label;
  out << YAML::Key << "dense" << YAML::Value << info.mapping.dense;
  out << YAML::Key << "sparse" << YAML::Value << info.mapping.sparse;
  out << YAML::EndMap;
  return WriteFileAtomically(directory + "/model.json", std::string(out.c_str()) + "\n");
}

Result<SavedModelInfo> ReadModelInfo(const std::string& directory) {
  const std::string path = directory + "/model.json";
  auto text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  SavedModelInfo info;
  std::string key;
  try {
    YAML::Node root = YAML::Load(*text);
    key = "arch_mlp_bot";
    auto bottom = models::ParseLayerSizes(root[key].as<std::string>(), key);
    key = "arch_mlp_top";
    auto top = models::ParseLayerSizes(root[key].as<std::string>(), key);
    key = "interaction";
    auto interaction = models::ParseInteraction(root[key].as<std::string>(), key);
    if (!bottom.ok() || !top.ok() || !interaction.ok()) {
      return Status::Corruption(path + ": bad value of '" + key + "'");
    }
    info.config.bottom_mlp = *bottom;
    info.config.top_mlp = *top;
    info.config.interaction = *interaction;
    key = "emb_dim";
    info.config.embedding_dim = root[key].as<int64_t>();
    key = "table_rows";
    info.config.table_rows = root[key].as<std::vector<int64_t>>();
    key = "label";
    info.mapping.label = root[key].as<std::string>();
    key = "dense";
    info.mapping.dense = root[key].as<std::vector<std::string>>();
    key = "sparse";
    info.mapping.sparse = root[key].as<std::vector<std::string>>();
  } catch (const YAML::Exception& error) {
    return Status::Corruption(path + ": missing or malformed '" + key + "'");
  }
  Status status = models::ValidateDlrmConfig(info.config, static_cast<int>(info.mapping.dense.size()),
                                             static_cast<int>(info.mapping.sparse.size()));
  if (!status.ok()) return status.WithContext(path);
  return info;
}

Status CopyPrepState(const std::string& state_directory, const std::string& directory) {
  std::error_code error;
  const std::string target = directory + "/_state";
  std::filesystem::create_directories(target, error);
  if (!error) {
    std::filesystem::copy(state_directory, target,
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing,
                          error);
  }
  if (error) return Status::IOError("copying " + state_directory + " to " + target + ": " + error.message());
  return Status::OK();
}

}  // namespace kiln::train
