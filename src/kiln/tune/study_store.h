// StudyStore: studies and their trials in one SQLite file, shared safely by
// several processes (and threads, one StudyStore each) on one machine.
//
// The file runs in WAL mode; every change is one transaction, and a trial
// is reserved inside a write transaction (BEGIN IMMEDIATE) that also reads
// the history and asks the sampler, so no two workers take the same trial
// number and every suggestion sees every running trial. Running trials
// carry a heartbeat and their worker's host and pid: when the worker has
// died (its pid is gone on this host) or its heartbeat is older than the
// grace period, the next reservation marks the trial failed, which is how a
// study killed with kill -9 resumes where it was.
//
// A file that is not a Kiln study database (or is damaged) is reported as
// Corruption and never written to.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/tune/metric.h"
#include "kiln/tune/search_space.h"
#include "kiln/tune/trial.h"

struct sqlite3;

namespace kiln::tune {

struct StudyInfo {
  int64_t id = 0;
  std::string name;
  std::string definition;  // The study's YAML, as first stored.
};

struct ReserveOptions {
  int64_t budget = 0;                // Trials that count (running, complete, pruned) stop at this.
  double heartbeat_grace_s = 60;     // A running trial silent this long is failed.
};

// Proposes the parameters of trial `number` from the study's history.
using SuggestFunction =
    std::function<Result<std::vector<double>>(const std::vector<TrialRecord>& history, int64_t number)>;

class StudyStore {
 public:
  // Opens or creates the database at `path`.
  static Result<std::unique_ptr<StudyStore>> Open(const std::string& path);
  ~StudyStore();

  StudyStore(const StudyStore&) = delete;
  StudyStore& operator=(const StudyStore&) = delete;

  // The study called `name`, created with `definition` if absent. An
  // existing study with another definition is an error (resume needs the
  // same study file).
  Result<StudyInfo> CreateOrLoadStudy(const std::string& name, const std::string& definition);
  // All studies, oldest first.
  Result<std::vector<StudyInfo>> ListStudies();

  // In one write transaction: fails dead workers' running trials, then,
  // unless the budget is spent, asks `suggest` and stores a new running
  // trial owned by this process. nullopt when the budget is spent.
  Result<std::optional<TrialRecord>> ReserveTrial(const StudyInfo& study, const SearchSpace& space,
                                                  const std::vector<MetricSpec>& metrics,
                                                  const ReserveOptions& options, const SuggestFunction& suggest);

  Status Heartbeat(const StudyInfo& study, int64_t number);
  Status ReportIntermediate(const StudyInfo& study, int64_t number, int64_t step, double value);
  // Ends a running trial: complete (values one per metric), pruned or failed.
  Status FinishTrial(const StudyInfo& study, int64_t number, TrialState state, const std::vector<MetricSpec>& metrics,
                     const std::vector<double>& values, const std::string& reason);

  // Every trial of the study, by number, with params decoded through
  // `space` and values ordered as `metrics`.
  Result<std::vector<TrialRecord>> LoadTrials(const StudyInfo& study, const SearchSpace& space,
                                              const std::vector<MetricSpec>& metrics);

 private:
  class Statement;
  StudyStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Execute(const std::string& sql);
  Status Error(const std::string& what) const;
  Status CheckAndCreateSchema();
  Status FailDeadTrials(const StudyInfo& study, double grace_s);
  Status InsertTrial(const StudyInfo& study, const SearchSpace& space, const TrialRecord& trial);

  sqlite3* db_;       // Open connection; owned.
  std::string path_;  // For messages.
};

}  // namespace kiln::tune
