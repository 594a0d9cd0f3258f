// kiln tune: hyper-parameter optimization (kiln_tune) from the command line.
//   kiln tune STUDY.yaml [--db STUDY.db] [--workers N] [--seed S]
//   kiln tune --advisor dlrm --data PREP_DIR [--db STUDY.db] [--workers N] [--budget N] [--out DIR] ...
//   kiln tune show STUDY.db [--study NAME] [--json | --csv]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/command.h"
#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/tune/command_launcher.h"
#include "kiln/tune/study_report.h"
#include "kiln/tune/study_runner.h"
#include "kiln/tune/study_store.h"

namespace kiln::cli {

namespace {

struct TuneFlags {
  std::string study;          // STUDY.yaml.
  std::string database;       // --db; default: the study file with .db.
  int workers = 1;            // Trials at a time.
  int64_t seed = -1;          // Overrides the study's seed when >= 0.
  int64_t budget = 0;         // Overrides the study's budget when > 0.
  std::string advisor;        // A built-in advisor.
  tune::BuiltInAdvisorOptions advisor_options;  // --data, --out and the trial knobs.
  std::string advisor_flag_given;               // The first advisor-only flag given, to reject it without --advisor.
  double heartbeat_grace_s = 60;
};

struct ShowFlags {
  std::string database;
  std::string study;  // Which study; default: the only one.
  bool json = false;
  bool csv = false;
};

// A stored study: its configuration and its report, which points into it.
struct LoadedStudy {
  std::unique_ptr<tune::StudyConfig> config;
  tune::StudyReport report;
};

// The study called `name` in `database` (any name when it holds only one).
Result<LoadedStudy> LoadStudy(const std::string& database, const std::string& name) {
  if (!std::filesystem::exists(database)) return Status::NotFound(database + ": no such study database");
  auto store = tune::StudyStore::Open(database);
  if (!store.ok()) return store.status();
  auto studies = (*store)->ListStudies();
  if (!studies.ok()) return studies.status();
  const tune::StudyInfo* chosen = nullptr;
  std::string names;
  for (const tune::StudyInfo& study : *studies) {
    names += (names.empty() ? "" : ", ") + study.name;
    if (study.name == name || (name.empty() && studies->size() == 1)) chosen = &study;
  }
  if (chosen == nullptr) {
    return Status::InvalidArgument(database + ": give --study NAME (studies: " + (names.empty() ? "none" : names) + ")");
  }
  auto config = tune::ParseStudyYaml(chosen->definition, database + " (study '" + chosen->name + "')");
  if (!config.ok()) return config.status();
  LoadedStudy loaded;
  loaded.config = std::make_unique<tune::StudyConfig>(std::move(*config));
  auto trials = (*store)->LoadTrials(*chosen, loaded.config->space, loaded.config->metrics);
  if (!trials.ok()) return trials.status();
  loaded.report = tune::MakeStudyReport(*loaded.config, std::move(*trials));
  return loaded;
}

Result<std::unique_ptr<tune::Advisor>> MakeAdvisor(const TuneFlags& flags, const std::string& database) {
  tune::BuiltInAdvisorOptions options = flags.advisor_options;
  std::error_code error;
  options.kiln = std::filesystem::read_symlink("/proc/self/exe", error).string();
  if (error) return Status::IOError("/proc/self/exe: " + error.message() + " (the advisor runs kiln train)");
  if (flags.budget > 0) options.budget = flags.budget;
  if (flags.seed >= 0) options.seed = static_cast<uint64_t>(flags.seed);
  if (options.output.empty()) options.output = std::filesystem::absolute(database).parent_path().string();
  // Trials running side by side share the cores instead of each taking all.
  if (options.threads == 0 && flags.workers > 1) {
    options.threads = std::max<int64_t>(1, std::thread::hardware_concurrency() / flags.workers);
  }
  return tune::MakeBuiltInAdvisor(flags.advisor, options);
}

Status RunTune(const TuneFlags& flags) {
  std::unique_ptr<tune::Advisor> advisor;
  std::string database = flags.database;
  if (!flags.advisor.empty()) {
    if (!flags.study.empty()) return Status::InvalidArgument("give STUDY.yaml or --advisor, not both");
    if (database.empty()) database = flags.advisor + ".db";
    auto built_in = MakeAdvisor(flags, database);
    if (!built_in.ok()) return built_in.status();
    advisor = std::move(*built_in);
  } else {
    if (flags.study.empty()) return Status::InvalidArgument("give STUDY.yaml or --advisor NAME");
    if (!flags.advisor_flag_given.empty()) {
      return Status::InvalidArgument(flags.advisor_flag_given + " is for --advisor; a study file sets its own trials");
    }
    auto text = ReadFileToString(flags.study);
    if (!text.ok()) return text.status();
    auto config = tune::ParseStudyYaml(*text, flags.study);
    if (!config.ok()) return config.status();
    if (flags.seed >= 0) config->seed = static_cast<uint64_t>(flags.seed);
    if (flags.budget > 0) config->budget = flags.budget;
    std::string directory = std::filesystem::absolute(flags.study).parent_path().string();
    advisor = std::make_unique<tune::CommandAdvisor>(std::move(*config), directory);
    if (database.empty()) database = std::filesystem::path(flags.study).replace_extension(".db").string();
  }
  tune::RunOptions options;
  options.database = std::filesystem::absolute(database).string();
  options.workers = flags.workers;
  options.heartbeat_grace_s = flags.heartbeat_grace_s;
  auto summary = tune::RunStudy(*advisor, options);
  if (!summary.ok()) return summary.status();
  LogInfo("study " + advisor->study().name + ": " + std::to_string(summary->completed) + " completed, " +
          std::to_string(summary->pruned) + " pruned, " + std::to_string(summary->failed) + " failed here; see kiln tune show " +
          database);
  if (flags.advisor.empty()) return Status::OK();
  auto loaded = LoadStudy(options.database, advisor->study().name);
  if (!loaded.ok()) return loaded.status();
  auto recommended = advisor->Recommend(loaded->report);
  if (!recommended.ok()) return recommended.status();
  std::fwrite(recommended->data(), 1, recommended->size(), stdout);
  return Status::OK();
}

Status RunShow(const ShowFlags& flags) {
  auto loaded = LoadStudy(flags.database, flags.study);
  if (!loaded.ok()) return loaded.status();
  const tune::StudyReport& report = loaded->report;
  std::string out = flags.json ? tune::ReportJson(report) : flags.csv ? tune::ReportCsv(report) : tune::ReportText(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::OK();
}

// The options only a built-in advisor takes; returns them, so that a study
// file run can reject them instead of ignoring them.
std::vector<CLI::Option*> AddAdvisorOptions(CLI::App* tune, tune::BuiltInAdvisorOptions* options) {
  return {
      tune->add_option("--data", options->data, "The advisor's prepared data directory (kiln prep --recipe dlrm)"),
      tune->add_option("--out", options->output,
                       "Where the advisor writes the chosen configuration, dlrm_train.yaml (default: the --db directory)"),
      tune->add_option("--bayes-auc", options->bayes_auc,
                       "The data's Bayes AUC (default: from kiln gen's meta file beside the prep input); the AUC "
                       "threshold is 0.03 below it")
          ->check(CLI::Range(0.5, 1.0)),
      tune->add_option("--max-steps", options->max_steps, "Training steps per trial (default: --epochs whole epochs)")
          ->check(CLI::NonNegativeNumber),
      tune->add_option("--epochs", options->epochs, "Epochs per trial (default 1)")->check(CLI::PositiveNumber),
      tune->add_option("--batch-size", options->batch_size, "Batch size of every trial (default 2048)")
          ->check(CLI::PositiveNumber),
      tune->add_option("--eval-fraction", options->eval_fraction, "The last rows held out for the AUC (default 0.1)"),
      tune->add_option("--evaluations", options->evaluations,
                       "Held-out AUCs during a trial, for the median pruner (default 3; 0: none)")
          ->check(CLI::NonNegativeNumber),
      tune->add_option("--trial-threads", options->threads, "Threads per trial (default: the cores divided by --workers)")
          ->check(CLI::NonNegativeNumber),
      tune->add_option("--precision", options->precision, "Trial precision: fp32 or bf16 (default: the trainer's)")
          ->check(CLI::IsMember({"fp32", "bf16"})),
      tune->add_option("--trial-timeout", options->timeout_s, "Seconds before a trial is failed (default 3600; 0: none)")
          ->check(CLI::NonNegativeNumber),
      tune->add_option("--max-seconds", options->max_seconds,
                       "Recommend the best AUC among the front points that train within this many seconds")
          ->check(CLI::NonNegativeNumber),
  };
}

}  // namespace

void AddTuneCommand(CLI::App* app, Action* action) {
  CLI::App* tune = app->add_subcommand("tune", "Hyper-parameter optimization: run a study, or show one");
  auto flags = std::make_shared<TuneFlags>();
  tune->add_option("study", flags->study, "Study file (YAML: study, metrics, budget, sampler, parameters, trial)");
  tune->add_option("--db", flags->database, "Study database (SQLite; default: the study file with .db, or ADVISOR.db)");
  tune->add_option("--workers", flags->workers, "Trials run at a time")->check(CLI::PositiveNumber);
  tune->add_option("--seed", flags->seed, "Overrides the study's seed")->check(CLI::NonNegativeNumber);
  tune->add_option("--budget", flags->budget, "Trials (overrides the study's budget; the dlrm advisor's default: 30)")
      ->check(CLI::PositiveNumber);
  tune->add_option("--advisor", flags->advisor, "A built-in advisor instead of a study file: dlrm (runs kiln train)");
  std::vector<CLI::Option*> advisor_options = AddAdvisorOptions(tune, &flags->advisor_options);
  tune->add_option("--heartbeat-grace", flags->heartbeat_grace_s,
                   "Seconds without a heartbeat after which another worker's running trial is failed")
      ->check(CLI::PositiveNumber);

  CLI::App* show = tune->add_subcommand("show", "Print a study's best trial or Pareto front, importances and history");
  auto show_flags = std::make_shared<ShowFlags>();
  show->add_option("database", show_flags->database, "Study database")->required();
  show->add_option("--study", show_flags->study, "Study name (needed when the database holds several)");
  show->add_flag("--json", show_flags->json, "JSON: best, pareto, importance, history");
  show->add_flag("--csv", show_flags->csv, "The history as CSV, one row per trial");

  show->callback([action, show_flags] { *action = [show_flags] { return RunShow(*show_flags); }; });
  tune->callback([action, flags, tune, advisor_options] {
    if (tune->got_subcommand("show")) return;
    for (const CLI::Option* option : advisor_options) {
      if (flags->advisor_flag_given.empty() && option->count() > 0) flags->advisor_flag_given = option->get_name();
    }
    *action = [flags] { return RunTune(*flags); };
  });
}

}  // namespace kiln::cli
