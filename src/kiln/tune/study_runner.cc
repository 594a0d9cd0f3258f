#include "kiln/tune/study_runner.h"

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "kiln/core/logging.h"
#include "kiln/tune/command_launcher.h"
#include "kiln/tune/pruner.h"
#include "kiln/tune/sampler.h"
#include "kiln/tune/study_store.h"

namespace kiln::tune {

namespace {

// Forwards a trial's reports to the store and the pruner.
class StoreMonitor : public TrialMonitor {
 public:
  StoreMonitor(StudyStore* store, const StudyInfo& study, const StudyConfig& config, const Pruner* pruner,
               int64_t number)
      : store_(store), study_(study), config_(config), pruner_(pruner), number_(number) {}

  bool Report(int64_t step, double value) override {
    Status status = store_->ReportIntermediate(study_, number_, step, value);
    if (!status.ok()) LogWarn("trial " + std::to_string(number_) + ": " + status.ToString());
    if (pruner_ == nullptr) return false;
    auto trials = store_->LoadTrials(study_, config_.space, config_.metrics);
    if (!trials.ok()) return false;
    for (const TrialRecord& trial : *trials) {
      if (trial.number == number_) return pruner_->ShouldPrune(trial, *trials);
    }
    return false;
  }
  void Heartbeat() override { (void)store_->Heartbeat(study_, number_); }

 private:
  StudyStore* store_;          // The worker's connection.
  const StudyInfo& study_;
  const StudyConfig& config_;
  const Pruner* pruner_;       // May be null.
  int64_t number_;             // The trial reported on.
};

struct SharedState {
  std::mutex mutex;                  // Guards summary and error.
  RunSummary summary;
  Status error;                      // The first worker error.
  std::atomic<bool> stop{false};     // Set on error or too many failures.
};

Status RunWorker(const Advisor& advisor, const RunOptions& options, SharedState* shared) {
  const StudyConfig& config = advisor.study();
  auto store = StudyStore::Open(options.database);
  if (!store.ok()) return store.status();
  auto study = (*store)->CreateOrLoadStudy(config.name, config.definition);
  if (!study.ok()) return study.status();
  auto sampler = MakeSampler(config.sampler);
  if (!sampler.ok()) return sampler.status();
  Goal goal = config.metrics[ObjectiveIndices(config.metrics)[0]].goal;
  auto pruner = MakePruner(config.pruner, goal);
  if (!pruner.ok()) return pruner.status();
  std::unique_ptr<TrialLauncher> launcher = advisor.MakeLauncher();
  std::string trials_root = options.trials_directory.empty() ? options.database + ".trials" : options.trials_directory;
  ReserveOptions reserve{config.budget, options.heartbeat_grace_s};

  while (!shared->stop) {
    auto suggest = [&](const std::vector<TrialRecord>& history, int64_t number) {
      SampleContext context{&config.space, &config.metrics, &history, config.seed, number, config.budget};
      return (*sampler)->Suggest(context);
    };
    auto reserved = (*store)->ReserveTrial(*study, config.space, config.metrics, reserve, suggest);
    if (!reserved.ok()) return reserved.status();
    if (!reserved->has_value()) return Status::OK();  // Budget spent.
    const TrialRecord& trial = **reserved;
    TrialRequest request;
    request.number = trial.number;
    request.params = ActiveParams(config.space, trial.params);
    request.params_json = ParamsJson(config.space, request.params);
    request.directory = trials_root + "/" + config.name + "/" + std::to_string(trial.number);
    std::error_code error;
    std::filesystem::create_directories(request.directory, error);
    StoreMonitor monitor(store->get(), *study, config, pruner->get(), trial.number);
    TrialOutcome outcome = error ? TrialOutcome{TrialState::kFailed, {}, "cannot create " + request.directory}
                                 : launcher->Run(request, &monitor);
    Status finished = (*store)->FinishTrial(*study, trial.number, outcome.state, config.metrics, outcome.values,
                                            outcome.reason);
    if (!finished.ok()) return finished;
    std::string line = "trial " + std::to_string(trial.number) + " " + TrialStateName(outcome.state);
    if (!outcome.reason.empty()) line += ": " + outcome.reason;
    (outcome.state == TrialState::kFailed ? LogWarn : LogInfo)(line);
    std::lock_guard<std::mutex> lock(shared->mutex);
    RunSummary& summary = shared->summary;
    (outcome.state == TrialState::kComplete ? summary.completed
     : outcome.state == TrialState::kPruned ? summary.pruned
                                            : summary.failed)++;
    if (summary.failed > config.budget) {
      shared->stop = true;
      return Status::InvalidArgument("study '" + config.name + "': " + std::to_string(summary.failed) +
                                     " trials failed, more than the budget; last: " + outcome.reason);
    }
  }
  return Status::OK();
}

}  // namespace

Result<RunSummary> RunStudy(const Advisor& advisor, const RunOptions& options) {
  // A trial that exits without reading its parameters from stdin must not kill the runner.
  signal(SIGPIPE, SIG_IGN);
  SharedState shared;
  std::vector<std::thread> workers;
  for (int w = 0; w < std::max(1, options.workers); ++w) {
    workers.emplace_back([&] {
      Status status = RunWorker(advisor, options, &shared);
      if (status.ok()) return;
      std::lock_guard<std::mutex> lock(shared.mutex);
      if (shared.error.ok()) shared.error = status;
      shared.stop = true;
    });
  }
  for (std::thread& worker : workers) worker.join();
  if (!shared.error.ok()) return shared.error;
  return shared.summary;
}

}  // namespace kiln::tune
