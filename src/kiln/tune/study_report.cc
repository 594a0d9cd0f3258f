#include "kiln/tune/study_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "kiln/core/value_format.h"
#include "kiln/io/json_format.h"
#include "kiln/tune/pareto.h"

namespace kiln::tune {

const char* const kImportanceMethod =
    "eta-squared: share of the variance of the first objective's rank explained by each parameter alone "
    "(one-way ANOVA over its values, or 5 quantile bins, inactive as its own bin), normalized to sum to 1";

namespace {

bool Counts(const StudyConfig& config, const TrialRecord& trial) {
  return trial.state == TrialState::kComplete && trial.values.size() == config.metrics.size() &&
         MeetsAllThresholds(config.metrics, trial.values);
}

std::vector<double> Losses(const StudyConfig& config, const TrialRecord& trial) {
  std::vector<double> losses;
  for (size_t m : ObjectiveIndices(config.metrics)) losses.push_back(Loss(config.metrics[m], trial.values[m]));
  return losses;
}

// Bin of each trial's value of parameter `index`: its cell for discrete
// parameters, a quantile bin for continuous ones, -1 when inactive.
std::vector<int> Bins(const SearchSpace& space, size_t index, const std::vector<const TrialRecord*>& trials) {
  std::vector<double> values;
  for (const TrialRecord* trial : trials) {
    if (!std::isnan(trial->params[index])) values.push_back(trial->params[index]);
  }
  std::sort(values.begin(), values.end());
  int64_t cells = space.CellCount(index);
  std::vector<int> bins;
  for (const TrialRecord* trial : trials) {
    double value = trial->params[index];
    if (std::isnan(value)) {
      bins.push_back(-1);
    } else if (cells > 0 && cells <= 8) {
      bins.push_back(static_cast<int>(std::lround(space.ToUnit(index, value) * cells - 0.5)));
    } else {
      size_t rank = std::lower_bound(values.begin(), values.end(), value) - values.begin();
      bins.push_back(static_cast<int>(5 * rank / values.size()));
    }
  }
  return bins;
}

std::vector<std::pair<std::string, double>> Importances(const StudyConfig& config, const std::vector<TrialRecord>& trials) {
  std::vector<const TrialRecord*> done;
  for (const TrialRecord& trial : trials) {
    if (trial.state == TrialState::kComplete && trial.values.size() == config.metrics.size()) done.push_back(&trial);
  }
  if (done.size() < 4) return {};
  // Ranks, so one outlier does not decide the importances.
  std::vector<size_t> order(done.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return Losses(config, *done[a])[0] < Losses(config, *done[b])[0]; });
  std::vector<double> rank(done.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = static_cast<double>(r);
  double mean = (done.size() - 1) / 2.0, total = 0;
  for (double r : rank) total += (r - mean) * (r - mean);
  std::vector<std::pair<std::string, double>> importances;
  double sum = 0;
  for (size_t p = 0; p < config.space.size(); ++p) {
    std::vector<int> bins = Bins(config.space, p, done);
    std::map<int, std::pair<double, int>> groups;  // bin -> (sum of ranks, count)
    for (size_t i = 0; i < done.size(); ++i) {
      groups[bins[i]].first += rank[i];
      groups[bins[i]].second += 1;
    }
    double between = 0;
    for (const auto& [bin, group] : groups) between += group.second * std::pow(group.first / group.second - mean, 2);
    double share = total > 0 ? between / total : 0;
    importances.emplace_back(config.space.parameter(p).name, share);
    sum += share;
  }
  for (auto& entry : importances) entry.second = sum > 0 ? entry.second / sum : 0;
  return importances;
}

void AppendNumber(std::string* out, double value) {
  if (std::isfinite(value)) AppendFloat64(out, value);
  else *out += "null";
}

void AppendTrialJson(std::string* out, const StudyConfig& config, const TrialRecord& trial) {
  *out += "{\"number\": " + std::to_string(trial.number) + ", \"state\": \"" + TrialStateName(trial.state) + "\"";
  *out += ", \"values\": {";
  for (size_t m = 0; m < trial.values.size(); ++m) {
    if (m) *out += ", ";
    AppendJsonString(out, config.metrics[m].name);
    *out += ": ";
    AppendNumber(out, trial.values[m]);
  }
  *out += "}, \"params\": {";
  bool first = true;
  for (size_t p = 0; p < trial.params.size(); ++p) {
    if (std::isnan(trial.params[p])) continue;
    if (!first) *out += ", ";
    first = false;
    AppendJsonString(out, config.space.parameter(p).name);
    *out += ": ";
    if (config.space.parameter(p).type == ParameterType::kCategorical) {
      AppendJsonString(out, config.space.Format(p, trial.params[p]));
    } else {
      *out += config.space.Format(p, trial.params[p]);
    }
  }
  *out += "}";
  if (!trial.reason.empty()) {
    *out += ", \"reason\": ";
    AppendJsonString(out, trial.reason);
  }
  *out += "}";
}

}  // namespace

StudyReport MakeStudyReport(const StudyConfig& config, std::vector<TrialRecord> trials) {
  StudyReport report;
  report.config = &config;
  report.trials = std::move(trials);
  std::vector<size_t> counted;
  std::vector<std::vector<double>> losses;
  for (size_t i = 0; i < report.trials.size(); ++i) {
    if (!Counts(config, report.trials[i])) continue;
    counted.push_back(i);
    losses.push_back(Losses(config, report.trials[i]));
  }
  if (ObjectiveIndices(config.metrics).size() == 1) {
    for (size_t k = 0; k < counted.size(); ++k) {
      if (report.best.empty() || losses[k][0] < Losses(config, report.trials[report.best[0]])[0]) report.best = {counted[k]};
    }
  } else {
    for (size_t k : NonDominatedIndices(losses)) report.best.push_back(counted[k]);
  }
  report.importances = Importances(config, report.trials);
  return report;
}

std::string ReportJson(const StudyReport& report) {
  const StudyConfig& config = *report.config;
  std::string json = "{\"study\": ";
  AppendJsonString(&json, config.name);
  json += ", \"trials\": " + std::to_string(report.trials.size()) + ", \"states\": {";
  std::map<std::string, int> states;
  for (const TrialRecord& trial : report.trials) states[TrialStateName(trial.state)]++;
  bool first = true;
  for (const auto& [state, count] : states) {
    json += (first ? "\"" : ", \"") + state + "\": " + std::to_string(count);
    first = false;
  }
  json += "}, \"best\": ";
  if (report.best.empty()) json += "null";
  else AppendTrialJson(&json, config, report.trials[report.best[0]]);
  if (ObjectiveIndices(config.metrics).size() > 1) {
    json += ", \"pareto\": [";
    for (size_t i = 0; i < report.best.size(); ++i) {
      if (i) json += ", ";
      AppendTrialJson(&json, config, report.trials[report.best[i]]);
    }
    json += "]";
  }
  json += ", \"importance\": {\"method\": ";
  AppendJsonString(&json, kImportanceMethod);
  json += ", \"values\": {";
  for (size_t i = 0; i < report.importances.size(); ++i) {
    if (i) json += ", ";
    AppendJsonString(&json, report.importances[i].first);
    json += ": ";
    AppendNumber(&json, report.importances[i].second);
  }
  json += "}}, \"history\": [";
  for (size_t i = 0; i < report.trials.size(); ++i) {
    if (i) json += ", ";
    AppendTrialJson(&json, config, report.trials[i]);
  }
  return json + "]}\n";
}

std::string ReportCsv(const StudyReport& report) {
  const StudyConfig& config = *report.config;
  auto quote = [](const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  std::string csv = "number,state";
  for (const MetricSpec& metric : config.metrics) csv += "," + quote(metric.name);
  for (const ParameterSpec& parameter : config.space.parameters()) csv += "," + quote(parameter.name);
  csv += ",reason\n";
  for (const TrialRecord& trial : report.trials) {
    csv += std::to_string(trial.number) + "," + TrialStateName(trial.state);
    for (size_t m = 0; m < config.metrics.size(); ++m) {
      csv += ",";
      if (m < trial.values.size() && std::isfinite(trial.values[m])) AppendFloat64(&csv, trial.values[m]);
    }
    for (size_t p = 0; p < config.space.size(); ++p) {
      csv += ",";
      if (p < trial.params.size() && !std::isnan(trial.params[p])) csv += quote(config.space.Format(p, trial.params[p]));
    }
    csv += "," + quote(trial.reason) + "\n";
  }
  return csv;
}

std::string ReportText(const StudyReport& report) {
  const StudyConfig& config = *report.config;
  std::string text = "study " + config.name + ": " + std::to_string(report.trials.size()) + " trials\n";
  auto describe = [&](const TrialRecord& trial) {
    std::string line = "  trial " + std::to_string(trial.number) + ":";
    for (size_t m = 0; m < trial.values.size(); ++m) {
      line += " " + config.metrics[m].name + "=";
      AppendFloat64(&line, trial.values[m]);
    }
    line += "  |";
    for (size_t p = 0; p < trial.params.size(); ++p) {
      if (!std::isnan(trial.params[p])) line += " " + config.space.parameter(p).name + "=" + config.space.Format(p, trial.params[p]);
    }
    return line + "\n";
  };
  bool several = ObjectiveIndices(config.metrics).size() > 1;
  text += several ? "Pareto front (" + std::to_string(report.best.size()) + " trials):\n" : "best:\n";
  if (report.best.empty()) text += "  (no completed trial meets the thresholds)\n";
  for (size_t index : report.best) text += describe(report.trials[index]);
  if (!report.importances.empty()) {
    text += std::string("importance (") + kImportanceMethod + "):\n";
    for (const auto& [name, share] : report.importances) {
      char line[256];
      std::snprintf(line, sizeof(line), "  %-24s %.3f\n", name.c_str(), share);
      text += line;
    }
  }
  return text;
}

}  // namespace kiln::tune
