#include "kiln/prep/pipeline_yaml.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <set>

#include "kiln/parquet/codec.h"
#include "kiln/prep/cast.h"
#include "kiln/prep/categorify.h"
#include "kiln/prep/clip.h"
#include "kiln/prep/fill_na.h"
#include "kiln/prep/log1p.h"
#include "kiln/prep/memory_budget.h"
#include "kiln/prep/normalize.h"
#include "kiln/prep/projection.h"

namespace kiln::prep {

namespace {

// Reads typed values from one YAML map and remembers which keys were used,
// so that the leftovers can be reported as unknown.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string where) : node_(node), where_(std::move(where)) {}

  Status Check() const {
    if (!node_.IsMap()) return Status::InvalidArgument(where_ + ": expected a mapping");
    return Status::OK();
  }
  bool Has(const std::string& key) {
    used_.insert(key);
    return node_[key].IsDefined() && !node_[key].IsNull();
  }
  template <typename T>
  Status Get(const std::string& key, T* out) {
    if (!Has(key)) return Status::OK();
    try {
      *out = node_[key].as<T>();
    } catch (const YAML::Exception&) {
      return Status::InvalidArgument(where_ + ": bad value for '" + key + "'");
    }
    return Status::OK();
  }
  // A list of names, or a single name.
  Status GetNames(const std::string& key, std::vector<std::string>* out) {
    if (!Has(key)) return Status::OK();
    if (node_[key].IsScalar()) return Get(key, &out->emplace_back());
    return Get(key, out);
  }
  Status GetType(const std::string& key, DataType* out) {
    std::string text;
    Status status = Get(key, &text);
    if (!status.ok() || text.empty()) return status;
    if (!DataType::FromString(text, out)) return Status::InvalidArgument(where_ + ": unknown type '" + text + "'");
    return Status::OK();
  }
  // The first key that was never asked for, as an error.
  Status Finish() const {
    for (const auto& entry : node_) {
      std::string key = entry.first.as<std::string>();
      if (!used_.count(key)) {
        std::string known;
        for (const std::string& name : used_) known += (known.empty() ? "" : ", ") + name;
        return Status::InvalidArgument(where_ + ": unknown key '" + key + "' (known: " + known + ")");
      }
    }
    return Status::OK();
  }
  const std::string& where() const { return where_; }

 private:
  const YAML::Node& node_;      // The mapping read.
  std::string where_;           // For messages.
  std::set<std::string> used_;  // Keys asked for.
};

// Runs the Get calls in order, stopping at the first error.
Status All(std::initializer_list<std::function<Status()>> reads) {
  for (const auto& read : reads) {
    Status status = read();
    if (!status.ok()) return status;
  }
  return Status::OK();
}

using StepParser = std::function<Result<std::unique_ptr<Operator>>(MapReader*)>;

template <typename Op, typename Options>
Result<std::unique_ptr<Operator>> Made(Status status, Options options) {
  if (!status.ok()) return status;
  return std::unique_ptr<Operator>(std::make_unique<Op>(std::move(options)));
}

Result<std::unique_ptr<Operator>> ParseFillNa(MapReader* map) {
  FillNaOptions o;
  Status status = All({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("value", &o.value); }});
  return Made<FillNa>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseClip(MapReader* map) {
  ClipOptions o;
  double min = 0, max = 0;
  Status status = All({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("min", &min); }, [&] { return map->Get("max", &max); }});
  if (map->Has("min")) o.min = min;
  if (map->Has("max")) o.max = max;
  return Made<Clip>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseLog1p(MapReader* map) {
  Log1pOptions o;
  Status status = All({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("negative_to_zero", &o.negative_to_zero); },
                       [&] { return map->GetType("type", &o.type); }});
  return Made<Log1p>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseNormalize(MapReader* map) {
  NormalizeOptions o;
  std::string method = "standard";
  Status status = All({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("method", &method); }, [&] { return map->GetType("type", &o.type); }});
  if (status.ok() && method != "standard" && method != "minmax") {
    status = Status::InvalidArgument(map->where() + ": method must be standard or minmax");
  }
  o.method = method == "minmax" ? NormalizeMethod::kMinMax : NormalizeMethod::kStandard;
  return Made<Normalize>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseCast(MapReader* map) {
  CastOptions o;
  Status status = All({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->GetType("type", &o.type); }});
  if (status.ok() && !map->Has("type")) status = Status::InvalidArgument(map->where() + ": give the target type");
  return Made<Cast>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseSelect(MapReader* map) {
  SelectOptions o;
  Status status = map->GetNames("columns", &o.columns.patterns);
  return Made<Select>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseDrop(MapReader* map) {
  DropOptions o;
  Status status = map->GetNames("columns", &o.columns.patterns);
  return Made<Drop>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseRename(MapReader* map) {
  RenameOptions o;
  std::map<std::string, std::string> names;
  Status status = map->Get("names", &names);
  for (auto& entry : names) o.names.emplace_back(entry.first, entry.second);
  return Made<Rename>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseCategorify(MapReader* map) {
  CategorifyOptions o;
  std::string order = "frequency";
  Status status = All({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("min_freq", &o.min_freq); },
                       [&] { return map->Get("max_size", &o.max_size); }, [&] { return map->Get("order", &order); },
                       [&] { return map->Get("null_id", &o.null_id); }, [&] { return map->Get("oov_id", &o.oov_id); },
                       [&] { return map->Get("separator", &o.separator); },
                       [&] { return map->Get("joint", &o.joint); }});
  if (status.ok() && order != "frequency" && order != "value") {
    status = Status::InvalidArgument(map->where() + ": order must be frequency or value");
  }
  o.order = order == "value" ? CategoryOrder::kValue : CategoryOrder::kFrequency;
  return Made<Categorify>(status, std::move(o));
}

const std::map<std::string, StepParser>& StepParsers() {
  static const std::map<std::string, StepParser> parsers = {
      {"fill_na", ParseFillNa},   {"clip", ParseClip},     {"log1p", ParseLog1p},
      {"normalize", ParseNormalize}, {"cast", ParseCast}, {"select", ParseSelect},
      {"drop", ParseDrop},        {"rename", ParseRename}, {"categorify", ParseCategorify},
  };
  return parsers;
}

Result<std::unique_ptr<Operator>> ParseStep(const YAML::Node& node, const std::string& where) {
  MapReader map(node, where);
  Status status = map.Check();
  std::string op;
  if (status.ok()) status = map.Get("op", &op);
  if (!status.ok()) return status;
  auto parser = StepParsers().find(op);
  if (parser == StepParsers().end()) {
    std::string known;
    for (const auto& [name, unused] : StepParsers()) known += (known.empty() ? "" : ", ") + name;
    return Status::InvalidArgument(where + ": unknown op '" + op + "' (known: " + known + ")");
  }
  MapReader step(node, where + " (" + op + ")");
  step.Has("op");
  auto made = parser->second(&step);
  if (!made.ok()) return made.status();
  status = step.Finish();
  if (!status.ok()) return status;
  return made;
}

Status ParseInput(const YAML::Node& node, const std::string& where, InputSpec* input) {
  MapReader map(node, where);
  CsvOptions& csv = input->read.csv;
  std::string delimiter, schema, on_error = "error";
  std::vector<std::string> hex32;
  Status status = All({[&] { return map.Check(); }, [&] { return map.Get("path", &input->path); },
                       [&] { return map.Get("format", &input->format); }, [&] { return map.Get("header", &csv.header); },
                       [&] { return map.Get("delimiter", &delimiter); }, [&] { return map.Get("schema", &schema); },
                       [&] { return map.GetNames("hex32", &hex32); }, [&] { return map.Get("null", &csv.null_string); },
                       [&] { return map.Get("on_error", &on_error); },
                       [&] { return map.Get("spill_parsed", &input->spill_parsed); }, [&] { return map.Finish(); }});
  if (!status.ok()) return status;
  if (delimiter.size() > 1) return Status::InvalidArgument(where + ": delimiter must be one character");
  if (delimiter.size() == 1) csv.delimiter = delimiter[0];
  if (on_error != "error" && on_error != "skip") return Status::InvalidArgument(where + ": on_error must be error or skip");
  csv.on_error = input->read.json.on_error = on_error == "skip" ? OnError::kSkip : OnError::kError;
  if (schema == "criteo") {
    CsvOptions criteo = CriteoTsvOptions();
    csv.schema = criteo.schema;
    csv.header = map.Has("header") ? csv.header : false;
    csv.quoted = false;
    if (hex32.empty()) hex32 = criteo.hex32_columns;
  } else if (!schema.empty()) {
    auto parsed = Schema::Parse(schema);
    if (!parsed.ok()) return parsed.status().WithContext(where);
    csv.schema = std::move(*parsed);
  }
  csv.hex32_columns = hex32;
  return Status::OK();
}

Status ParseOutput(const YAML::Node& node, const std::string& where, OutputSpec* output) {
  MapReader map(node, where);
  std::string format = "parquet", compression;
  parquet::ParquetWriteOptions& pq = output->dataset.parts.parquet;
  Status status = All({[&] { return map.Check(); }, [&] { return map.Get("path", &output->path); },
                       [&] { return map.Get("format", &format); },
                       [&] { return map.Get("rows_per_part", &output->dataset.rows_per_part); },
                       [&] { return map.Get("row_group_rows", &pq.row_group_rows); },
                       [&] { return map.Get("compression", &compression); },
                       [&] { return map.Get("dictionary", &pq.enable_dictionary); },
                       [&] { return map.Get("overwrite", &output->dataset.overwrite); }, [&] { return map.Finish(); }});
  if (!status.ok()) return status;
  if (!compression.empty()) {
    auto codec = parquet::ParseCodecName(compression);
    if (!codec.ok()) return codec.status().WithContext(where);
    pq.codec = *codec;
  }
  status = parquet::ValidateWriteOptions(pq);
  if (!status.ok()) return status.WithContext(where);
  auto parsed = ParseFileFormat(format);
  if (!parsed.ok()) return parsed.status().WithContext(where);
  output->dataset.format = *parsed;
  return Status::OK();
}

}  // namespace

Result<PrepJob> ParsePrepYaml(const std::string& text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return Status::InvalidArgument(source + ": " + error.what());
  }
  PrepJob job;
  job.yaml = text;
  MapReader top(root, source);
  Status status = top.Check();
  if (!status.ok()) return status;
  if (top.Has("input")) status = ParseInput(root["input"], source + ": input", &job.input);
  if (status.ok() && top.Has("output")) status = ParseOutput(root["output"], source + ": output", &job.output);
  if (!status.ok()) return status;
  if (top.Has("memory_limit")) {
    auto limit = ParseByteSize(root["memory_limit"].as<std::string>(""));
    if (!limit.ok()) return limit.status().WithContext(source + ": memory_limit");
    job.memory_limit = *limit;
  }
  if (top.Has("steps")) {
    const YAML::Node steps = root["steps"];
    if (!steps.IsSequence()) return Status::InvalidArgument(source + ": steps must be a list");
    for (size_t i = 0; i < steps.size(); ++i) {
      auto step = ParseStep(steps[i], source + ": step " + std::to_string(i + 1));
      if (!step.ok()) return step.status();
      job.pipeline.Add(std::move(*step));
    }
  }
  status = top.Finish();
  if (!status.ok()) return status;
  return job;
}

}  // namespace kiln::prep
