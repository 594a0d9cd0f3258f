#include "kiln/workflow/run_summary.h"

#include <simdjson.h>

#include <cstdio>

#include "kiln/core/file.h"
#include "kiln/io/json_format.h"

namespace kiln::workflow {

namespace {

// The figure `name` of `stage`, or NaN.
double Figure(const RunSummary& summary, const std::string& stage, const std::string& name) {
  for (const StageOutcome& outcome : summary.stages) {
    if (outcome.name != stage) continue;
    for (const auto& [key, value] : outcome.figures) {
      if (key == name) return value;
    }
  }
  return NAN;
}

double FirstKnown(std::initializer_list<double> values) {
  for (double value : values) {
    if (!std::isnan(value)) return value;
  }
  return NAN;
}

void AppendFigures(std::string* json, const Figures& figures) {
  *json += "{";
  for (size_t i = 0; i < figures.size(); ++i) {
    if (i > 0) *json += ", ";
    AppendJsonString(json, figures[i].first);
    *json += ": " + JsonMetric(figures[i].second);
  }
  *json += "}";
}

// `"name": value, ` for a known overall figure.
void AppendKnown(std::string* json, const char* name, double value) {
  if (std::isnan(value)) return;
  *json += std::string("  \"") + name + "\": " + JsonMetric(value) + ",\n";
}

std::string Formatted(const char* format, double value) {
  if (std::isnan(value)) return "-";
  char text[64];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

}  // namespace

const char* StageStatusName(StageStatus status) {
  switch (status) {
    case StageStatus::kRan: return "ran";
    case StageStatus::kSkipped: return "skipped";
    case StageStatus::kFailed: return "failed";
    case StageStatus::kNotRun: return "not run";
  }
  return "?";
}

Result<Figures> ReadFigures(const std::string& path) {
  auto text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  return ParseFigures(*text, path);
}

Result<Figures> ParseFigures(const std::string& text, const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(text).get(object)) return Status::Corruption(path + ": not a JSON object");
  Figures figures;
  for (auto [key, value] : object) {
    double number = 0;
    if (!value.get(number)) figures.emplace_back(std::string(key), number);
  }
  return figures;
}

void ComputeOverallFigures(RunSummary* s) {
  s->rows = FirstKnown({Figure(*s, "gen", "rows"), Figure(*s, "prep", "rows"), Figure(*s, "predict", "rows")});
  s->bayes_auc = FirstKnown({Figure(*s, "gen", "bayes_auc"), Figure(*s, "prep", "bayes_auc")});
  s->auc = FirstKnown({Figure(*s, "evaluate", "auc"), Figure(*s, "train", "auc")});
  s->train_samples_per_s = Figure(*s, "train", "train_samples_per_s");
  s->predict_samples_per_s = Figure(*s, "predict", "samples_per_s");
}

std::string SummaryJson(const RunSummary& summary) {
  std::string json = "{\n  \"workflow\": ";
  AppendJsonString(&json, summary.workflow);
  json += ",\n  \"workflow_path\": ";
  AppendJsonString(&json, summary.workflow_path);
  json += ",\n  \"overrides\": [";
  for (size_t i = 0; i < summary.overrides.size(); ++i) {
    if (i > 0) json += ", ";
    AppendJsonString(&json, summary.overrides[i]);
  }
  json += "],\n  \"run_directory\": ";
  AppendJsonString(&json, summary.run_directory);
  json += ",\n";
  AppendKnown(&json, "rows", summary.rows);
  AppendKnown(&json, "auc", summary.auc);
  AppendKnown(&json, "bayes_auc", summary.bayes_auc);
  if (!std::isnan(summary.auc) && !std::isnan(summary.bayes_auc)) {
    AppendKnown(&json, "auc_gap_to_bayes", summary.bayes_auc - summary.auc);
  }
  AppendKnown(&json, "train_samples_per_s", summary.train_samples_per_s);
  AppendKnown(&json, "predict_samples_per_s", summary.predict_samples_per_s);
  json += "  \"seconds\": " + JsonMetric(summary.seconds) + ",\n  \"stages\": [";
  for (size_t i = 0; i < summary.stages.size(); ++i) {
    const StageOutcome& stage = summary.stages[i];
    json += i > 0 ? ",\n    {\"name\": " : "\n    {\"name\": ";
    AppendJsonString(&json, stage.name);
    json += std::string(", \"status\": \"") + StageStatusName(stage.status) +
            "\", \"seconds\": " + JsonMetric(stage.seconds) + ", \"log\": ";
    AppendJsonString(&json, stage.log_path);
    json += ", \"figures\": ";
    AppendFigures(&json, stage.figures);
    json += "}";
  }
  return json + "\n  ]\n}\n";
}

std::string SummaryTable(const RunSummary& summary) {
  std::string auc = Formatted("%.4f", summary.auc);
  if (!std::isnan(summary.auc) && !std::isnan(summary.bayes_auc)) {
    auc += "   (bayes_auc " + Formatted("%.4f", summary.bayes_auc) + ", gap " +
           Formatted("%.4f", summary.bayes_auc - summary.auc) + ")";
  }
  std::string table;
  table += "  rows                 " + Formatted("%.0f", summary.rows) + "\n";
  table += "  AUC                  " + auc + "\n";
  table += "  train samples/s      " + Formatted("%.0f", summary.train_samples_per_s) + "\n";
  table += "  predict samples/s    " + Formatted("%.0f", summary.predict_samples_per_s) + "\n";
  return table;
}

}  // namespace kiln::workflow
