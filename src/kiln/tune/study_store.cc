#include "kiln/tune/study_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>

namespace kiln::tune {

namespace {

constexpr const char* kFormat = "kiln-tune-1";  // meta.format of the files this code writes.

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string HostName() {
  char name[256] = {0};
  if (gethostname(name, sizeof(name) - 1) != 0) return "unknown";
  return name;
}

// A zombie counts as dead: a killed worker whose parent has not reaped it
// (common in containers without an init) still answers kill(pid, 0).
bool ProcessAlive(int64_t pid) {
  if (pid <= 0 || (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  size_t name_end = line.rfind(')');
  return name_end == std::string::npos || name_end + 2 >= line.size() || line[name_end + 2] != 'Z';
}

}  // namespace

// A prepared statement, finalized on destruction.
class StudyStore::Statement {
 public:
  Statement(sqlite3* db, const char* sql) { status_ = sqlite3_prepare_v2(db, sql, -1, &statement_, nullptr); }
  ~Statement() { sqlite3_finalize(statement_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return status_ == SQLITE_OK; }
  Statement& Bind(int index, int64_t value) { sqlite3_bind_int64(statement_, index, value); return *this; }
  Statement& Bind(int index, double value) {
    if (std::isnan(value)) sqlite3_bind_null(statement_, index);
    else sqlite3_bind_double(statement_, index, value);
    return *this;
  }
  Statement& Bind(int index, const std::string& value) {
    sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(statement_); }
  int64_t Int(int column) { return sqlite3_column_int64(statement_, column); }
  double Real(int column) {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL ? NAN : sqlite3_column_double(statement_, column);
  }
  std::string Text(int column) {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text ? reinterpret_cast<const char*>(text) : "";
  }

 private:
  sqlite3_stmt* statement_ = nullptr;  // Owned.
  int status_;                         // Of the prepare.
};

Result<std::unique_ptr<StudyStore>> StudyStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<StudyStore> store(new StudyStore(db, path));
  if (code != SQLITE_OK) return store->Error("cannot open");
  sqlite3_busy_timeout(db, 60000);
  Status status = store->CheckAndCreateSchema();
  if (!status.ok()) return status;
  return store;
}

StudyStore::~StudyStore() { sqlite3_close(db_); }

Status StudyStore::Error(const std::string& what) const {
  int code = db_ ? sqlite3_errcode(db_) : SQLITE_NOMEM;
  std::string message = path_ + ": " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
    return Status::Corruption(message + " (not a Kiln study database, or damaged; left as it is)");
  }
  return Status::IOError(message);
}

Status StudyStore::Execute(const std::string& sql) {
  char* message = nullptr;
  int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  return code == SQLITE_OK ? Status::OK() : Error("'" + sql.substr(0, 40) + "...'");
}

Status StudyStore::CheckAndCreateSchema() {
  // Reading the schema is the first touch of the file: a damaged or foreign
  // file fails here, before anything is written.
  Statement tables(db_, "SELECT name FROM sqlite_master WHERE type = 'table'");
  if (!tables.prepared()) return Error("cannot read");
  std::vector<std::string> names;
  int code;
  while ((code = tables.Step()) == SQLITE_ROW) names.push_back(tables.Text(0));
  if (code != SQLITE_DONE) return Error("cannot read");
  bool has_meta = std::find(names.begin(), names.end(), "meta") != names.end();
  if (!names.empty()) {
    if (!has_meta) return Status::Corruption(path_ + ": an SQLite file that is not a Kiln study database; left as it is");
    Statement format(db_, "SELECT value FROM meta WHERE key = 'format'");
    if (!format.prepared() || format.Step() != SQLITE_ROW || format.Text(0) != kFormat) {
      return Status::Corruption(path_ + ": not a Kiln study database of format " + kFormat + "; left as it is");
    }
  }
  Status status = Execute("PRAGMA journal_mode = WAL");
  if (status.ok() && names.empty()) {
    status = Execute(std::string(
                         "BEGIN IMMEDIATE;"
                         "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                         "INSERT OR IGNORE INTO meta VALUES ('format', '") + kFormat + "');"
                     "CREATE TABLE IF NOT EXISTS studies(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                     " definition TEXT NOT NULL, created_at REAL NOT NULL);"
                     "CREATE TABLE IF NOT EXISTS trials(id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL,"
                     " number INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',"
                     " host TEXT NOT NULL, pid INTEGER NOT NULL, started_at REAL NOT NULL, finished_at REAL,"
                     " heartbeat_at REAL NOT NULL, UNIQUE(study_id, number));"
                     "CREATE TABLE IF NOT EXISTS params(trial_id INTEGER NOT NULL, name TEXT NOT NULL,"
                     " text TEXT NOT NULL, PRIMARY KEY(trial_id, name));"
                     "CREATE TABLE IF NOT EXISTS trial_values(trial_id INTEGER NOT NULL, metric TEXT NOT NULL,"
                     " value REAL, PRIMARY KEY(trial_id, metric));"
                     "CREATE TABLE IF NOT EXISTS intermediate(trial_id INTEGER NOT NULL, step INTEGER NOT NULL,"
                     " value REAL, PRIMARY KEY(trial_id, step));"
                     "COMMIT;");
  }
  return status;
}

Result<StudyInfo> StudyStore::CreateOrLoadStudy(const std::string& name, const std::string& definition) {
  Statement insert(db_, "INSERT OR IGNORE INTO studies(name, definition, created_at) VALUES (?, ?, ?)");
  insert.Bind(1, name).Bind(2, definition).Bind(3, Now());
  if (insert.Step() != SQLITE_DONE) return Error("cannot create study '" + name + "'");
  Statement select(db_, "SELECT id, definition FROM studies WHERE name = ?");
  select.Bind(1, name);
  if (select.Step() != SQLITE_ROW) return Error("cannot read study '" + name + "'");
  StudyInfo study{select.Int(0), name, select.Text(1)};
  if (study.definition != definition) {
    return Status::InvalidArgument(path_ + ": study '" + name +
                                   "' exists with another definition; use the same study file to resume, or "
                                   "another --db or study name");
  }
  return study;
}

Result<std::vector<StudyInfo>> StudyStore::ListStudies() {
  Statement select(db_, "SELECT id, name, definition FROM studies ORDER BY id");
  std::vector<StudyInfo> studies;
  int code;
  while ((code = select.Step()) == SQLITE_ROW) studies.push_back({select.Int(0), select.Text(1), select.Text(2)});
  if (code != SQLITE_DONE) return Error("cannot list studies");
  return studies;
}

Status StudyStore::FailDeadTrials(const StudyInfo& study, double grace_s) {
  Statement select(db_, "SELECT id, host, pid, heartbeat_at FROM trials WHERE study_id = ? AND state = 'running'");
  select.Bind(1, study.id);
  std::vector<std::pair<int64_t, std::string>> dead;
  std::string host = HostName();
  double now = Now();
  while (select.Step() == SQLITE_ROW) {
    bool gone = select.Text(1) == host && !ProcessAlive(select.Int(2));
    bool silent = now - select.Real(3) > grace_s;
    if (gone) dead.emplace_back(select.Int(0), "its worker (pid " + std::to_string(select.Int(2)) + ") died");
    else if (silent) dead.emplace_back(select.Int(0), "no heartbeat for " + std::to_string(int(now - select.Real(3))) + " s");
  }
  for (const auto& [id, reason] : dead) {
    Statement update(db_, "UPDATE trials SET state = 'failed', reason = ?, finished_at = ? WHERE id = ?");
    update.Bind(1, reason).Bind(2, now).Bind(3, id);
    if (update.Step() != SQLITE_DONE) return Error("cannot fail a dead trial");
  }
  return Status::OK();
}

Status StudyStore::InsertTrial(const StudyInfo& study, const SearchSpace& space, const TrialRecord& trial) {
  Statement insert(db_,
                   "INSERT INTO trials(study_id, number, state, host, pid, started_at, heartbeat_at)"
                   " VALUES (?, ?, 'running', ?, ?, ?, ?)");
  insert.Bind(1, study.id).Bind(2, trial.number).Bind(3, HostName()).Bind(4, int64_t{getpid()});
  insert.Bind(5, trial.started_at).Bind(6, trial.started_at);
  if (insert.Step() != SQLITE_DONE) return Error("cannot insert trial");
  int64_t trial_id = sqlite3_last_insert_rowid(db_);
  for (size_t i = 0; i < space.size(); ++i) {
    if (std::isnan(trial.params[i])) continue;
    Statement param(db_, "INSERT INTO params(trial_id, name, text) VALUES (?, ?, ?)");
    param.Bind(1, trial_id).Bind(2, space.parameter(i).name).Bind(3, space.Format(i, trial.params[i]));
    if (param.Step() != SQLITE_DONE) return Error("cannot insert parameter");
  }
  return Status::OK();
}

Result<std::optional<TrialRecord>> StudyStore::ReserveTrial(const StudyInfo& study, const SearchSpace& space,
                                                            const std::vector<MetricSpec>& metrics,
                                                            const ReserveOptions& options,
                                                            const SuggestFunction& suggest) {
  Status status = Execute("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  auto reserve = [&]() -> Result<std::optional<TrialRecord>> {
    Status failed = FailDeadTrials(study, options.heartbeat_grace_s);
    if (!failed.ok()) return failed;
    auto history = LoadTrials(study, space, metrics);
    if (!history.ok()) return history.status();
    int64_t counted = 0;
    for (const TrialRecord& trial : *history) counted += trial.state != TrialState::kFailed;
    if (options.budget > 0 && counted >= options.budget) return std::optional<TrialRecord>();
    TrialRecord trial;
    trial.number = history->empty() ? 0 : history->back().number + 1;
    auto point = suggest(*history, trial.number);
    if (!point.ok()) return point.status();
    trial.params = std::move(*point);
    trial.started_at = Now();
    Status inserted = InsertTrial(study, space, trial);
    if (!inserted.ok()) return inserted;
    return std::optional<TrialRecord>(std::move(trial));
  };
  auto reserved = reserve();
  status = Execute(reserved.ok() ? "COMMIT" : "ROLLBACK");
  if (!reserved.ok()) return reserved.status();
  if (!status.ok()) return status;
  return reserved;
}

Status StudyStore::Heartbeat(const StudyInfo& study, int64_t number) {
  Statement update(db_, "UPDATE trials SET heartbeat_at = ? WHERE study_id = ? AND number = ?");
  update.Bind(1, Now()).Bind(2, study.id).Bind(3, number);
  return update.Step() == SQLITE_DONE ? Status::OK() : Error("cannot update heartbeat");
}

Status StudyStore::ReportIntermediate(const StudyInfo& study, int64_t number, int64_t step, double value) {
  Statement insert(db_,
                   "INSERT OR REPLACE INTO intermediate(trial_id, step, value)"
                   " SELECT id, ?, ? FROM trials WHERE study_id = ? AND number = ?");
  insert.Bind(1, step).Bind(2, value).Bind(3, study.id).Bind(4, number);
  return insert.Step() == SQLITE_DONE ? Status::OK() : Error("cannot store an intermediate value");
}

Status StudyStore::FinishTrial(const StudyInfo& study, int64_t number, TrialState state,
                               const std::vector<MetricSpec>& metrics, const std::vector<double>& values,
                               const std::string& reason) {
  Status status = Execute("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  auto finish = [&]() -> Status {
    Statement update(db_,
                     "UPDATE trials SET state = ?, reason = ?, finished_at = ? WHERE study_id = ? AND number = ?"
                     " AND state = 'running'");
    update.Bind(1, std::string(TrialStateName(state))).Bind(2, reason).Bind(3, Now()).Bind(4, study.id).Bind(5, number);
    if (update.Step() != SQLITE_DONE) return Error("cannot finish trial");
    if (sqlite3_changes(db_) == 0) {
      return Status::InvalidArgument("trial " + std::to_string(number) + " is no longer running (declared dead?)");
    }
    for (size_t m = 0; m < values.size() && m < metrics.size(); ++m) {
      Statement insert(db_,
                       "INSERT OR REPLACE INTO trial_values(trial_id, metric, value)"
                       " SELECT id, ?, ? FROM trials WHERE study_id = ? AND number = ?");
      insert.Bind(1, metrics[m].name).Bind(2, values[m]).Bind(3, study.id).Bind(4, number);
      if (insert.Step() != SQLITE_DONE) return Error("cannot store a value");
    }
    return Status::OK();
  };
  Status finished = finish();
  status = Execute(finished.ok() ? "COMMIT" : "ROLLBACK");
  return finished.ok() ? status : finished;
}

Result<std::vector<TrialRecord>> StudyStore::LoadTrials(const StudyInfo& study, const SearchSpace& space,
                                                        const std::vector<MetricSpec>& metrics) {
  std::vector<TrialRecord> trials;
  std::map<int64_t, size_t> by_id;
  Statement select(db_,
                   "SELECT id, number, state, reason, started_at, COALESCE(finished_at, 0) FROM trials"
                   " WHERE study_id = ? ORDER BY number");
  select.Bind(1, study.id);
  int code;
  while ((code = select.Step()) == SQLITE_ROW) {
    TrialRecord& trial = trials.emplace_back();
    by_id[select.Int(0)] = trials.size() - 1;
    trial.number = select.Int(1);
    if (!ParseTrialState(select.Text(2), &trial.state)) {
      return Status::Corruption(path_ + ": trial " + std::to_string(trial.number) + " has unknown state '" +
                                select.Text(2) + "'");
    }
    trial.reason = select.Text(3);
    trial.started_at = select.Real(4);
    trial.finished_at = select.Real(5);
  }
  if (code != SQLITE_DONE) return Error("cannot read trials");
  std::map<int64_t, std::vector<std::pair<std::string, std::string>>> texts;
  Statement params(db_, "SELECT p.trial_id, p.name, p.text FROM params p JOIN trials t ON t.id = p.trial_id WHERE t.study_id = ?");
  params.Bind(1, study.id);
  while ((code = params.Step()) == SQLITE_ROW) texts[params.Int(0)].emplace_back(params.Text(1), params.Text(2));
  if (code != SQLITE_DONE) return Error("cannot read parameters");
  for (auto& [id, entries] : texts) {
    auto point = space.Parse(entries);
    if (!point.ok()) return point.status().WithContext(path_ + ": trial " + std::to_string(trials[by_id[id]].number));
    trials[by_id[id]].params = std::move(*point);
  }
  Statement values(db_, "SELECT v.trial_id, v.metric, v.value FROM trial_values v JOIN trials t ON t.id = v.trial_id WHERE t.study_id = ?");
  values.Bind(1, study.id);
  while ((code = values.Step()) == SQLITE_ROW) {
    TrialRecord& trial = trials[by_id[values.Int(0)]];
    if (trial.values.empty()) trial.values.assign(metrics.size(), NAN);
    std::string metric = values.Text(1);
    for (size_t m = 0; m < metrics.size(); ++m) {
      if (metrics[m].name == metric) trial.values[m] = values.Real(2);
    }
  }
  if (code != SQLITE_DONE) return Error("cannot read values");
  Statement steps(db_, "SELECT i.trial_id, i.step, i.value FROM intermediate i JOIN trials t ON t.id = i.trial_id WHERE t.study_id = ? ORDER BY i.trial_id, i.step");
  steps.Bind(1, study.id);
  while ((code = steps.Step()) == SQLITE_ROW) trials[by_id[steps.Int(0)]].intermediate.emplace_back(steps.Int(1), steps.Real(2));
  if (code != SQLITE_DONE) return Error("cannot read intermediate values");
  return trials;
}

}  // namespace kiln::tune
