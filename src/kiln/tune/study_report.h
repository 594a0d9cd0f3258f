// StudyReport: what `kiln tune show` prints about a stored study: the best
// trial (one objective) or the Pareto front (several), both among trials
// that meet every threshold; parameter importances; the trial history.
#pragma once

#include <string>
#include <vector>

#include "kiln/tune/study_config.h"
#include "kiln/tune/trial.h"

namespace kiln::tune {

struct StudyReport {
  const StudyConfig* config = nullptr;          // Not owned.
  std::vector<TrialRecord> trials;              // By number.
  std::vector<size_t> best;                     // Indices into trials: the best trial, or the Pareto front.
  std::vector<std::pair<std::string, double>> importances;  // Per parameter, summing to 1 (empty: too few trials).
};

// The method behind the importances, as printed.
extern const char* const kImportanceMethod;

StudyReport MakeStudyReport(const StudyConfig& config, std::vector<TrialRecord> trials);

// {"study", "trials", "states", "best": {"number", "values", "params"}, "pareto": [...] (several objectives),
//  "importance": {"method", "values"}, "history": [...]}
std::string ReportJson(const StudyReport& report);
// One row per trial: number,state,<metrics...>,<params...>,reason
std::string ReportCsv(const StudyReport& report);
// A human summary.
std::string ReportText(const StudyReport& report);

}  // namespace kiln::tune
