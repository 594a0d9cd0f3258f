#include "kiln/prep/pipeline_yaml.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "kiln/config/yaml_map_reader.h"
#include "kiln/parquet/codec.h"
#include "kiln/prep/bucketize.h"
#include "kiln/prep/cast.h"
#include "kiln/prep/categorify.h"
#include "kiln/prep/clip.h"
#include "kiln/prep/collapse_by_hist.h"
#include "kiln/prep/count_encode.h"
#include "kiln/prep/difference_lag.h"
#include "kiln/prep/fill_na.h"
#include "kiln/prep/filter.h"
#include "kiln/prep/hash_bucket.h"
#include "kiln/prep/hashed_cross.h"
#include "kiln/prep/join.h"
#include "kiln/prep/join_groupby.h"
#include "kiln/prep/log1p.h"
#include "kiln/prep/memory_budget.h"
#include "kiln/prep/negative_sample.h"
#include "kiln/prep/normalize.h"
#include "kiln/prep/projection.h"
#include "kiln/prep/sort.h"
#include "kiln/prep/split.h"
#include "kiln/prep/target_encode.h"

namespace kiln::prep {

namespace {

using MapReader = config::YamlMapReader;
using config::FirstError;

using StepParser = std::function<Result<std::unique_ptr<Operator>>(MapReader*)>;

template <typename Op, typename Options>
Result<std::unique_ptr<Operator>> Made(Status status, Options options) {
  if (!status.ok()) return status;
  return std::unique_ptr<Operator>(std::make_unique<Op>(std::move(options)));
}

Result<std::unique_ptr<Operator>> ParseFillNa(MapReader* map) {
  FillNaOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("value", &o.value); }});
  return Made<FillNa>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseClip(MapReader* map) {
  ClipOptions o;
  double min = 0, max = 0;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("min", &min); }, [&] { return map->Get("max", &max); }});
  if (map->Has("min")) o.min = min;
  if (map->Has("max")) o.max = max;
  return Made<Clip>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseLog1p(MapReader* map) {
  Log1pOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("negative_to_zero", &o.negative_to_zero); },
                       [&] { return map->GetType("type", &o.type); }});
  return Made<Log1p>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseNormalize(MapReader* map) {
  NormalizeOptions o;
  std::string method = "standard";
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("method", &method); }, [&] { return map->GetType("type", &o.type); }});
  if (status.ok() && method != "standard" && method != "minmax") {
    status = Status::InvalidArgument(map->where() + ": method must be standard or minmax");
  }
  o.method = method == "minmax" ? NormalizeMethod::kMinMax : NormalizeMethod::kStandard;
  return Made<Normalize>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseCast(MapReader* map) {
  CastOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
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
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
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

Result<std::unique_ptr<Operator>> ParseBucketize(MapReader* map) {
  BucketizeOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("boundaries", &o.boundaries); },
                       [&] { return map->Get("quantiles", &o.quantiles); },
                       [&] { return map->Get("max_distinct", &o.max_distinct); },
                       [&] { return map->GetOptional("null_id", &o.null_id); }});
  return Made<Bucketize>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseHashBucket(MapReader* map) {
  HashBucketOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->Get("num_buckets", &o.num_buckets); },
                       [&] { return map->GetOptional("null_id", &o.null_id); }});
  return Made<HashBucket>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseHashedCross(MapReader* map) {
  HashedCrossOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns); },
                       [&] { return map->Get("num_buckets", &o.num_buckets); },
                       [&] { return map->Get("output", &o.output); },
                       [&] { return map->GetOptional("null_id", &o.null_id); }});
  return Made<HashedCross>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseFilter(MapReader* map) {
  FilterOptions o;
  Status status = map->Get("expression", &o.expression);
  return Made<Filter>(status, std::move(o));
}

StepParser ParseCountEncode(bool frequency) {
  return [frequency](MapReader* map) -> Result<std::unique_ptr<Operator>> {
    CountEncodeOptions o;
    o.frequency = frequency;
    Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                         [&] { return map->Get("suffix", &o.suffix); }});
    return Made<CountEncode>(status, std::move(o));
  };
}

Result<std::unique_ptr<Operator>> ParseJoinGroupby(MapReader* map) {
  JoinGroupbyOptions o;
  std::vector<std::string> stats;
  Status status = FirstError({[&] { return map->GetNames("keys", &o.keys); },
                       [&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->GetNames("stats", &stats); }});
  if (status.ok() && map->Has("stats")) {
    o.stats.clear();
    for (const std::string& name : stats) {
      GroupStat stat;
      if (!ParseGroupStat(name, &stat)) {
        return Status::InvalidArgument(map->where() + ": unknown stat '" + name +
                                       "' (known: count, sum, mean, std, min, max)");
      }
      o.stats.push_back(stat);
    }
  }
  return Made<JoinGroupby>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseTargetEncode(MapReader* map) {
  TargetEncodeOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns); },
                       [&] { return map->Get("joint", &o.joint); },
                       [&] { return map->GetNames("target", &o.targets); },
                       [&] { return map->Get("folds", &o.folds); },
                       [&] { return map->Get("smoothing", &o.smoothing); },
                       [&] { return map->Get("seed", &o.seed); }});
  return Made<TargetEncode>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseJoin(MapReader* map) {
  JoinOptions o;
  std::string how = "left";
  Status status = FirstError({[&] { return map->Get("table", &o.table); }, [&] { return map->Get("format", &o.format); },
                       [&] { return map->GetNames("on", &o.on); },
                       [&] { return map->GetNames("right_on", &o.right_on); },
                       [&] { return map->GetNames("columns", &o.columns); }, [&] { return map->Get("how", &how); },
                       [&] { return map->Get("suffix", &o.suffix); }});
  if (status.ok() && how != "left" && how != "inner") {
    status = Status::InvalidArgument(map->where() + ": how must be left or inner");
  }
  o.how = how == "inner" ? JoinType::kInner : JoinType::kLeft;
  return Made<Join>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseNegativeSample(MapReader* map) {
  NegativeSampleOptions o;
  std::string sampling = "uniform";
  Status status = FirstError({[&] { return map->Get("label", &o.label); },
                       [&] { return map->Get("positive_value", &o.positive_value); },
                       [&] { return map->Get("item", &o.item); },
                       [&] { return map->GetNames("item_columns", &o.item_columns); },
                       [&] { return map->Get("negatives", &o.negatives); },
                       [&] { return map->Get("sampling", &sampling); }, [&] { return map->Get("seed", &o.seed); },
                       [&] { return map->Get("max_resample", &o.max_resample); }});
  if (status.ok() && sampling != "uniform" && sampling != "popularity") {
    status = Status::InvalidArgument(map->where() + ": sampling must be uniform or popularity");
  }
  o.popularity = sampling == "popularity";
  return Made<NegativeSample>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseSort(MapReader* map) {
  SortOptions o;
  std::vector<std::string> columns, descending;
  Status status = FirstError({[&] { return map->GetNames("columns", &columns); },
                       [&] { return map->GetNames("descending", &descending); },
                       [&] { return map->Get("memory_limit", &o.memory_limit); }});
  for (const std::string& name : descending) {
    if (status.ok() && std::find(columns.begin(), columns.end(), name) == columns.end()) {
      status = Status::InvalidArgument(map->where() + ": descending column '" + name + "' is not in columns");
    }
  }
  for (const std::string& name : columns) {
    o.keys.push_back(SortKey{name, std::find(descending.begin(), descending.end(), name) != descending.end()});
  }
  return Made<Sort>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseShuffle(MapReader* map) {
  ShuffleOptions o;
  Status status = FirstError({[&] { return map->Get("seed", &o.seed); },
                       [&] { return map->Get("memory_limit", &o.memory_limit); }});
  return Made<Shuffle>(status, o);
}

Result<std::unique_ptr<Operator>> ParseSplit(MapReader* map) {
  SplitOptions o;
  std::string method = "random";
  Status status = FirstError({[&] { return map->Get("method", &method); }, [&] { return map->GetNames("names", &o.names); },
                       [&] { return map->Get("fractions", &o.fractions); },
                       [&] { return map->Get("cutoffs", &o.cutoffs); }, [&] { return map->Get("time", &o.time); },
                       [&] { return map->Get("user", &o.user); }, [&] { return map->Get("k", &o.k); },
                       [&] { return map->Get("seed", &o.seed); }});
  static const std::map<std::string, SplitMethod> kMethods = {
      {"random", SplitMethod::kRandom}, {"time", SplitMethod::kTime}, {"last_k", SplitMethod::kLastK}};
  auto found = kMethods.find(method);
  if (status.ok() && found == kMethods.end()) {
    status = Status::InvalidArgument(map->where() + ": method must be random, time or last_k");
  }
  if (status.ok()) o.method = found->second;
  return Made<Split>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseDifferenceLag(MapReader* map) {
  DifferenceLagOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->GetNames("partition", &o.partition); },
                       [&] { return map->Get("time", &o.time); }, [&] { return map->Get("time_gap", &o.time_gap); },
                       [&] { return map->GetOptional("fill", &o.fill); }, [&] { return map->Get("suffix", &o.suffix); }});
  return Made<DifferenceLag>(status, std::move(o));
}

Result<std::unique_ptr<Operator>> ParseCollapseByHist(MapReader* map) {
  CollapseByHistOptions o;
  Status status = FirstError({[&] { return map->GetNames("columns", &o.columns.patterns); },
                       [&] { return map->GetNames("partition", &o.partition); },
                       [&] { return map->Get("time", &o.time); }, [&] { return map->Get("max_length", &o.max_length); },
                       [&] { return map->Get("prefix", &o.prefix); }});
  return Made<CollapseByHist>(status, std::move(o));
}

const std::map<std::string, StepParser>& StepParsers() {
  static const std::map<std::string, StepParser> parsers = {
      {"fill_na", ParseFillNa},   {"clip", ParseClip},     {"log1p", ParseLog1p},
      {"normalize", ParseNormalize}, {"cast", ParseCast}, {"select", ParseSelect},
      {"drop", ParseDrop},        {"rename", ParseRename}, {"categorify", ParseCategorify},
      {"bucketize", ParseBucketize},
      {"hash_bucket", ParseHashBucket},
      {"hashed_cross", ParseHashedCross},
      {"filter", ParseFilter},
      {"count_encode", ParseCountEncode(false)},
      {"frequency_encode", ParseCountEncode(true)},
      {"join_groupby", ParseJoinGroupby},
      {"target_encode", ParseTargetEncode},
      {"join", ParseJoin},
      {"negative_sample", ParseNegativeSample},
      {"sort", ParseSort},
      {"shuffle", ParseShuffle},
      {"split", ParseSplit},
      {"difference_lag", ParseDifferenceLag},
      {"collapse_by_hist", ParseCollapseByHist},
  };
  return parsers;
}

Result<std::unique_ptr<Operator>> ParseStep(const YAML::Node& node, const std::string& source, const std::string& what) {
  MapReader map(node, source, what);
  Status status = map.Check();
  std::string op;
  if (status.ok()) status = map.Get("op", &op);
  if (!status.ok()) return status;
  auto parser = StepParsers().find(op);
  if (parser == StepParsers().end()) {
    std::string known;
    for (const auto& [name, unused] : StepParsers()) known += (known.empty() ? "" : ", ") + name;
    return Status::InvalidArgument(map.At("op") + ": unknown op '" + op + "' (known: " + known + ")");
  }
  MapReader step(node, source, what + " (" + op + ")");
  step.Has("op");
  auto made = parser->second(&step);
  if (!made.ok()) return made.status();
  status = step.Finish();
  if (!status.ok()) return status;
  return made;
}

Status ParseInput(const YAML::Node& node, const std::string& source, InputSpec* input) {
  MapReader map(node, source, "input");
  const std::string& where = map.where();
  CsvOptions& csv = input->read.csv;
  std::string delimiter, schema, on_error = "error";
  std::vector<std::string> hex32;
  Status status = FirstError({[&] { return map.Check(); }, [&] { return map.Get("path", &input->path); },
                       [&] { return map.Get("format", &input->format); }, [&] { return map.Get("header", &csv.header); },
                       [&] { return map.Get("quoted", &csv.quoted); },
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

Status ParseOutput(const YAML::Node& node, const std::string& source, OutputSpec* output) {
  MapReader map(node, source, "output");
  const std::string& where = map.where();
  std::string format = "parquet", compression;
  parquet::ParquetWriteOptions& pq = output->dataset.parts.parquet;
  Status status = FirstError({[&] { return map.Check(); }, [&] { return map.Get("path", &output->path); },
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
  MapReader top(root, source, "prep file");
  Status status = top.Check();
  if (!status.ok()) return status;
  if (top.Has("input")) status = ParseInput(root["input"], source, &job.input);
  if (status.ok() && top.Has("output")) status = ParseOutput(root["output"], source, &job.output);
  if (!status.ok()) return status;
  if (top.Has("memory_limit")) {
    auto limit = ParseByteSize(root["memory_limit"].as<std::string>(""));
    if (!limit.ok()) return limit.status().WithContext(top.At("memory_limit"));
    job.memory_limit = *limit;
  }
  if (top.Has("steps")) {
    const YAML::Node steps = root["steps"];
    if (!steps.IsSequence()) return Status::InvalidArgument(top.At("steps") + ": steps must be a list");
    for (size_t i = 0; i < steps.size(); ++i) {
      auto step = ParseStep(steps[i], source, "step " + std::to_string(i + 1));
      if (!step.ok()) return step.status();
      job.pipeline.Add(std::move(*step));
    }
  }
  status = top.Finish();
  if (!status.ok()) return status;
  return job;
}

}  // namespace kiln::prep
