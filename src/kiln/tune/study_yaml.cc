#include <yaml-cpp/yaml.h>

#include <set>

#include "kiln/config/yaml_map_reader.h"
#include "kiln/tune/sampler.h"
#include "kiln/tune/study_config.h"

namespace kiln::tune {

namespace {

using config::FirstError;
using config::YamlLocation;
using MapReader = config::YamlMapReader;

Result<MetricSpec> ParseMetric(const YAML::Node& node, const std::string& path) {
  MapReader map(node, path, "metric");
  MetricSpec metric;
  std::string goal = "minimize";
  double threshold = 0;
  Status status = FirstError({[&] { return map.Check(); }, [&] { return map.Require("name"); },
                       [&] { return map.Get("name", &metric.name); }, [&] { return map.Get("goal", &goal); },
                       [&] { return map.Get("threshold", &threshold); },
                       [&] { return map.Get("constraint", &metric.constraint); }, [&] { return map.Finish(); }});
  if (!status.ok()) return status;
  if (goal != "minimize" && goal != "maximize") {
    return Status::InvalidArgument(map.At("goal") + ": must be minimize or maximize, not '" + goal + "'");
  }
  metric.goal = goal == "maximize" ? Goal::kMaximize : Goal::kMinimize;
  if (map.Has("threshold")) metric.threshold = threshold;
  return metric;
}

Result<ParameterSpec> ParseParameter(const YAML::Node& node, const std::string& path) {
  MapReader map(node, path, "parameter");
  ParameterSpec p;
  p.location = YamlLocation(path, node);
  std::string type;
  Status status = FirstError({[&] { return map.Check(); }, [&] { return map.Require("name"); },
                       [&] { return map.Get("name", &p.name); }, [&] { return map.Require("type"); },
                       [&] { return map.Get("type", &type); }, [&] { return map.Get("low", &p.low); },
                       [&] { return map.Get("high", &p.high); }, [&] { return map.Get("log", &p.log); },
                       [&] { return map.Get("step", &p.step); }, [&] { return map.Get("choices", &p.choices); }});
  if (!status.ok()) return status;
  if (type == "float") p.type = ParameterType::kFloat;
  else if (type == "int") p.type = ParameterType::kInt;
  else if (type == "categorical") p.type = ParameterType::kCategorical;
  else return Status::InvalidArgument(map.At("type") + ": unknown parameter type '" + type + "' (known: float, int, categorical)");
  if (p.type != ParameterType::kCategorical) {
    for (const char* key : {"low", "high"}) {
      if (!map.Has(key)) return Status::InvalidArgument(map.where() + " '" + p.name + "': missing '" + key + "'");
    }
  }
  if (map.Has("condition")) {
    YAML::Node condition_node = map.Node("condition");
    MapReader condition(condition_node, path, "condition");
    Condition c;
    status = FirstError({[&] { return condition.Check(); }, [&] { return condition.Require("parent"); },
                  [&] { return condition.Get("parent", &c.parent); }, [&] { return condition.Require("values"); },
                  [&] { return condition.Get("values", &c.values); }, [&] { return condition.Finish(); }});
    if (!status.ok()) return status;
    p.condition = std::move(c);
  }
  status = map.Finish();
  if (!status.ok()) return status;
  return p;
}

Result<LinearConstraint> ParseConstraint(const YAML::Node& node, const std::string& path) {
  MapReader map(node, path, "constraint");
  LinearConstraint constraint;
  constraint.location = YamlLocation(path, node);
  Status status = FirstError({[&] { return map.Check(); }, [&] { return map.Require("coefficients"); },
                       [&] { return map.Require("max"); }, [&] { return map.Get("max", &constraint.bound); }});
  if (!status.ok()) return status;
  YAML::Node coefficients = map.Node("coefficients");
  if (!coefficients.IsMap()) return Status::InvalidArgument(map.At("coefficients") + ": expected {name: coefficient}");
  for (const auto& entry : coefficients) {
    try {
      constraint.terms.emplace_back(entry.first.as<std::string>(), entry.second.as<double>());
    } catch (const YAML::Exception&) {
      return Status::InvalidArgument(YamlLocation(path, entry.second) + ": a coefficient must be a number");
    }
  }
  status = map.Finish();
  if (!status.ok()) return status;
  return constraint;
}

template <typename T>
Status ParseList(const YAML::Node& list, const std::string& path, const std::string& what,
                 Result<T> (*parse)(const YAML::Node&, const std::string&), std::vector<T>* out) {
  if (!list.IsDefined() || list.IsNull()) return Status::OK();
  if (!list.IsSequence()) return Status::InvalidArgument(YamlLocation(path, list) + ": '" + what + "' must be a list");
  for (const YAML::Node& item : list) {
    auto parsed = parse(item, path);
    if (!parsed.ok()) return parsed.status();
    out->push_back(std::move(*parsed));
  }
  return Status::OK();
}

Status ParsePruner(MapReader* top, PrunerOptions* options) {
  if (!top->Has("pruner")) return Status::OK();
  YAML::Node node = top->Node("pruner");
  MapReader map(node, top->path(), "pruner");
  return FirstError({[&] { return map.Check(); }, [&] { return map.Get("type", &options->type); },
              [&] { return map.Get("startup_trials", &options->startup_trials); },
              [&] { return map.Get("warmup_steps", &options->warmup_steps); },
              [&] { return map.Get("min_resource", &options->min_resource); },
              [&] { return map.Get("reduction_factor", &options->reduction_factor); },
              [&] { return map.Finish(); },
              [&] { return MakePruner(*options, Goal::kMinimize).status().WithContext(map.where()); }});
}

Status ParseTrial(MapReader* top, CommandTrialOptions* options) {
  if (!top->Has("trial")) return Status::InvalidArgument(top->where() + ": missing 'trial' (a command to run)");
  YAML::Node node = top->Node("trial");
  MapReader map(node, top->path(), "trial");
  return FirstError({[&] { return map.Check(); }, [&] { return map.Require("command"); },
              [&] { return map.Get("command", &options->command); },
              [&] { return map.Get("timeout_s", &options->timeout_s); }, [&] { return map.Finish(); }});
}

}  // namespace

Status ValidateStudy(const StudyConfig& config, const std::string& where) {
  if (config.name.empty()) return Status::InvalidArgument(where + ": the study needs a name ('study:')");
  if (config.budget <= 0) return Status::InvalidArgument(where + ": 'budget' must be a positive number of trials");
  if (ObjectiveIndices(config.metrics).empty()) {
    return Status::InvalidArgument(where + ": 'metrics' needs at least one metric that is not a constraint");
  }
  std::set<std::string> names;
  for (const MetricSpec& metric : config.metrics) {
    if (!names.insert(metric.name).second) return Status::InvalidArgument(where + ": metric '" + metric.name + "' named twice");
    if (metric.constraint && !metric.threshold) {
      return Status::InvalidArgument(where + ": constraint metric '" + metric.name + "' needs a threshold");
    }
  }
  return MakeSampler(config.sampler).status().WithContext(where);
}

namespace {

Result<StudyConfig> ParseStudyYamlUnguarded(const std::string& text, const std::string& path) {
  auto parsed = config::ParseYaml(text, path);
  if (!parsed.ok()) return parsed.status();
  const YAML::Node root = *parsed;
  MapReader top(root, path, "study");
  StudyConfig config;
  config.definition = text;
  std::vector<ParameterSpec> parameters;
  std::vector<LinearConstraint> constraints;
  Status status = FirstError({[&] { return top.Check(); }, [&] { return top.Get("study", &config.name); },
                       [&] { return top.Get("budget", &config.budget); },
                       [&] { return top.Get("sampler", &config.sampler); },
                       [&] { return top.Get("seed", &config.seed); },
                       [&] { return top.Require("metrics"); },
                       [&] { return ParseList(top.Node("metrics"), path, "metrics", &ParseMetric, &config.metrics); },
                       [&] { return top.Require("parameters"); },
                       [&] { return ParseList(top.Node("parameters"), path, "parameters", &ParseParameter, &parameters); },
                       [&] { return ParseList(top.Node("constraints"), path, "constraints", &ParseConstraint, &constraints); },
                       [&] { return ParsePruner(&top, &config.pruner); },
                       [&] { return ParseTrial(&top, &config.trial); }, [&] { return top.Finish(); },
                       [&] { return ValidateStudy(config, path); }});
  if (!status.ok()) return status;
  auto space = SearchSpace::Make(std::move(parameters), std::move(constraints));
  if (!space.ok()) return space.status();
  config.space = std::move(*space);
  return config;
}

}  // namespace

Result<StudyConfig> ParseStudyYaml(const std::string& text, const std::string& path) {
  // yaml-cpp reports some malformed documents (a mapping used as a key) by
  // throwing from conversions deep inside the reads.
  try {
    return ParseStudyYamlUnguarded(text, path);
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument(path + ":" + std::to_string(error.mark.line + 1) + ":" +
                                   std::to_string(error.mark.column + 1) + ": " + error.msg);
  }
}

}  // namespace kiln::tune
