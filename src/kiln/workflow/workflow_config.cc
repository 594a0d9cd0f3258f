#include "kiln/workflow/workflow_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "kiln/config/yaml_map_reader.h"
#include "kiln/core/file.h"

namespace kiln::workflow {

namespace {

using config::YamlLocation;

// "stage.key" -> "--set stage.key=value": where an overridden value came from.
using OverrideSources = std::map<std::string, std::string>;

// Puts each "stage.key=value" into the stages mapping.
Status ApplyOverrides(const std::vector<std::string>& overrides, const std::string& path, YAML::Node* stages,
                      OverrideSources* sources) {
  for (const std::string& text : overrides) {
    const size_t dot = text.find('.');
    const size_t equals = text.find('=');
    if (dot == std::string::npos || equals == std::string::npos || dot > equals || dot == 0 || equals == dot + 1) {
      return Status::InvalidArgument("--set " + text + ": expected STAGE.KEY=VALUE");
    }
    const std::string stage = text.substr(0, dot);
    const std::string key = text.substr(dot + 1, equals - dot - 1);
    if (!(*stages)[stage].IsDefined()) {
      return Status::InvalidArgument("--set " + text + ": " + path + " has no stage '" + stage + "'");
    }
    YAML::Node node = (*stages)[stage];
    if (node.IsNull()) node = YAML::Node(YAML::NodeType::Map);
    node[key] = text.substr(equals + 1);
    (*stages)[stage] = node;
    (*sources)[stage + "." + key] = "--set " + text;
  }
  return Status::OK();
}

// Checks that `value` parses as `type`.
Status CheckValue(const YAML::Node& value, ValueType type, const std::string& where) {
  if (!value.IsScalar()) return Status::InvalidArgument(where + ": expected a single value");
  try {
    if (type == ValueType::kInteger) value.as<int64_t>();
    if (type == ValueType::kNumber) value.as<double>();
  } catch (const YAML::Exception&) {
    return Status::InvalidArgument(where + ": expected " +
                                   (type == ValueType::kInteger ? "a whole number" : "a number") + ", not '" +
                                   value.Scalar() + "'");
  }
  if (type == ValueType::kPath && value.Scalar().empty()) return Status::InvalidArgument(where + ": empty path");
  return Status::OK();
}

std::string KnownKeys(const StageSpec& spec) {
  std::string known;
  for (const StageKey& key : spec.keys) known += (known.empty() ? "" : ", ") + key.key;
  if (spec.passes_other_keys) known += std::string(known.empty() ? "" : ", ") + "any kiln train option";
  return known;
}

Result<StageConfig> ParseStage(const YAML::Node& key_node, const YAML::Node& body, const StageSpec& spec,
                               const std::string& path, const OverrideSources& sources) {
  StageConfig stage;
  stage.name = spec.name;
  stage.location = YamlLocation(path, key_node);
  if (body.IsNull()) return stage;  // `evaluate:` alone: every key at its default.
  if (!body.IsMap()) return Status::InvalidArgument(stage.location + ": stage '" + spec.name + "': expected a mapping");
  for (const auto& entry : body) {
    const std::string key = entry.first.Scalar();
    auto source = sources.find(spec.name + "." + key);
    const std::string location = source != sources.end() ? source->second : YamlLocation(path, entry.first);
    const std::string where = location + ": stage '" + spec.name + "': '" + key + "'";
    if (std::find(spec.reserved.begin(), spec.reserved.end(), key) != spec.reserved.end()) {
      return Status::InvalidArgument(where + ": set by the workflow itself, not in the file");
    }
    auto known = std::find_if(spec.keys.begin(), spec.keys.end(), [&](const StageKey& k) { return k.key == key; });
    if (known == spec.keys.end() && !spec.passes_other_keys) {
      return Status::InvalidArgument(where + ": unknown key (known: " + KnownKeys(spec) + ")");
    }
    Status status = CheckValue(entry.second, known == spec.keys.end() ? ValueType::kText : known->type, where);
    if (!status.ok()) return status;
    stage.settings.push_back({key, entry.second.Scalar(), location});
  }
  std::sort(stage.settings.begin(), stage.settings.end(),
            [](const StageSetting& a, const StageSetting& b) { return a.key < b.key; });
  return stage;
}

// What each stage reads must come from an earlier stage or an `input`.
Status CheckInputs(const WorkflowConfig& workflow) {
  auto needs = [&](const StageConfig& stage, const std::string& earlier) -> Status {
    if (workflow.Find(earlier)) return Status::OK();
    return Status::InvalidArgument(stage.location + ": stage '" + stage.name + "' needs a '" + earlier +
                                   "' stage before it");
  };
  for (const StageConfig& stage : workflow.stages) {
    Status status;
    if (stage.name == "prep" && !stage.Find("input")) status = needs(stage, "gen");
    if (stage.name == "train") status = needs(stage, "prep");
    if (stage.name == "evaluate" || stage.name == "predict") {
      status = needs(stage, "train");
      if (status.ok() && !stage.Find("input")) status = needs(stage, "prep");
    }
    if (!status.ok()) return status;
  }
  return Status::OK();
}

Status ParseStages(const YAML::Node& stages, const std::string& path, const OverrideSources& sources,
                   WorkflowConfig* workflow) {
  if (!stages.IsMap() || stages.size() == 0) {
    return Status::InvalidArgument(YamlLocation(path, stages) + ": 'stages': expected a mapping of stages (" +
                                   StageNameList() + ")");
  }
  int last = -1;
  for (const auto& entry : stages) {
    const std::string name = entry.first.Scalar();
    const int index = StageIndex(name);
    const std::string where = YamlLocation(path, entry.first);
    if (index < 0) {
      return Status::InvalidArgument(where + ": unknown stage '" + name + "' (known: " + StageNameList() + ")");
    }
    if (index <= last) {
      return Status::InvalidArgument(where + ": stage '" + name + "' after '" + StageSpecs()[last].name +
                                     "': stages run in the order " + StageNameList());
    }
    last = index;
    auto stage = ParseStage(entry.first, entry.second, StageSpecs()[index], path, sources);
    if (!stage.ok()) return stage.status();
    workflow->stages.push_back(std::move(*stage));
  }
  return CheckInputs(*workflow);
}

}  // namespace

const StageSetting* StageConfig::Find(const std::string& key) const {
  for (const StageSetting& setting : settings) {
    if (setting.key == key) return &setting;
  }
  return nullptr;
}

std::string StageConfig::CanonicalText() const {
  std::string text;
  for (const StageSetting& setting : settings) text += setting.key + ": " + setting.value + "\n";
  return text;
}

const StageConfig* WorkflowConfig::Find(const std::string& name) const {
  for (const StageConfig& stage : stages) {
    if (stage.name == name) return &stage;
  }
  return nullptr;
}

Result<WorkflowConfig> ParseWorkflow(const std::string& text, const std::string& path,
                                     const std::vector<std::string>& overrides) {
  auto parsed = config::ParseYaml(text, path);
  if (!parsed.ok()) return parsed.status();
  const YAML::Node root = *parsed;
  WorkflowConfig workflow;
  workflow.path = path;
  workflow.text = text;
  workflow.overrides = overrides;
  workflow.name = std::filesystem::path(path).stem().string();
  config::YamlMapReader top(root, path, "workflow");
  Status status = config::FirstError({[&] { return top.Check(); }, [&] { return top.Get("name", &workflow.name); },
                                      [&] { return top.Get("out", &workflow.out); },
                                      [&] { return top.Require("stages"); }, [&] { return top.Finish(); }});
  if (!status.ok()) return status;
  YAML::Node stages = top.Node("stages");
  OverrideSources sources;
  try {
    status = ApplyOverrides(overrides, path, &stages, &sources);
    if (status.ok()) status = ParseStages(stages, path, sources, &workflow);
  } catch (const YAML::Exception& error) {
    status = Status::InvalidArgument(path + ": " + error.msg);
  }
  if (!status.ok()) return status;
  return workflow;
}

Result<WorkflowConfig> ReadWorkflow(const std::string& path, const std::vector<std::string>& overrides) {
  auto text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  return ParseWorkflow(*text, path, overrides);
}

}  // namespace kiln::workflow
