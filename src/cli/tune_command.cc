// kiln tune: hyper-parameter optimization (kiln_tune) from the command line.
//   kiln tune STUDY.yaml [--db STUDY.db] [--workers N] [--seed S]
//   kiln tune --advisor NAME --data PREP_DIR [--db STUDY.db] [--workers N]
//   kiln tune show STUDY.db [--study NAME] [--json | --csv]
#include <cstdio>
#include <filesystem>

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
  std::string advisor;        // A built-in advisor.
  std::string data;           // --data for the advisor.
  double heartbeat_grace_s = 60;
};

struct ShowFlags {
  std::string database;
  std::string study;  // Which study; default: the only one.
  bool json = false;
  bool csv = false;
};

Status RunTune(const TuneFlags& flags) {
  std::unique_ptr<tune::Advisor> advisor;
  std::string database = flags.database;
  if (!flags.advisor.empty()) {
    if (!flags.study.empty()) return Status::InvalidArgument("give STUDY.yaml or --advisor, not both");
    auto built_in = tune::MakeBuiltInAdvisor(flags.advisor, {flags.data, ""});
    if (!built_in.ok()) return built_in.status();
    advisor = std::move(*built_in);
  } else {
    if (flags.study.empty()) return Status::InvalidArgument("give STUDY.yaml or --advisor NAME");
    auto text = ReadFileToString(flags.study);
    if (!text.ok()) return text.status();
    auto config = tune::ParseStudyYaml(*text, flags.study);
    if (!config.ok()) return config.status();
    if (flags.seed >= 0) config->seed = static_cast<uint64_t>(flags.seed);
    std::string directory = std::filesystem::absolute(flags.study).parent_path().string();
    advisor = std::make_unique<tune::CommandAdvisor>(std::move(*config), directory);
    if (database.empty()) database = std::filesystem::path(flags.study).replace_extension(".db").string();
  }
  if (database.empty()) return Status::InvalidArgument("give --db STUDY.db");
  tune::RunOptions options;
  options.database = std::filesystem::absolute(database).string();
  options.workers = flags.workers;
  options.heartbeat_grace_s = flags.heartbeat_grace_s;
  auto summary = tune::RunStudy(*advisor, options);
  if (!summary.ok()) return summary.status();
  LogInfo("study " + advisor->study().name + ": " + std::to_string(summary->completed) + " completed, " +
          std::to_string(summary->pruned) + " pruned, " + std::to_string(summary->failed) + " failed here; see kiln tune show " +
          database);
  return Status::OK();
}

Status RunShow(const ShowFlags& flags) {
  if (!std::filesystem::exists(flags.database)) return Status::NotFound(flags.database + ": no such study database");
  auto store = tune::StudyStore::Open(flags.database);
  if (!store.ok()) return store.status();
  auto studies = (*store)->ListStudies();
  if (!studies.ok()) return studies.status();
  const tune::StudyInfo* chosen = nullptr;
  std::string names;
  for (const tune::StudyInfo& study : *studies) {
    names += (names.empty() ? "" : ", ") + study.name;
    if (study.name == flags.study || (flags.study.empty() && studies->size() == 1)) chosen = &study;
  }
  if (chosen == nullptr) {
    return Status::InvalidArgument(flags.database + ": give --study NAME (studies: " + (names.empty() ? "none" : names) + ")");
  }
  auto config = tune::ParseStudyYaml(chosen->definition, flags.database + " (study '" + chosen->name + "')");
  if (!config.ok()) return config.status();
  auto trials = (*store)->LoadTrials(*chosen, config->space, config->metrics);
  if (!trials.ok()) return trials.status();
  tune::StudyReport report = tune::MakeStudyReport(*config, std::move(*trials));
  std::string out = flags.json ? tune::ReportJson(report) : flags.csv ? tune::ReportCsv(report) : tune::ReportText(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::OK();
}

}  // namespace

void AddTuneCommand(CLI::App* app, Action* action) {
  CLI::App* tune = app->add_subcommand("tune", "Hyper-parameter optimization: run a study, or show one");
  auto flags = std::make_shared<TuneFlags>();
  tune->add_option("study", flags->study, "Study file (YAML: study, metrics, budget, sampler, parameters, trial)");
  tune->add_option("--db", flags->database, "Study database (SQLite; default: the study file with .db)");
  tune->add_option("--workers", flags->workers, "Trials run at a time")->check(CLI::PositiveNumber);
  tune->add_option("--seed", flags->seed, "Overrides the study's seed")->check(CLI::NonNegativeNumber);
  tune->add_option("--advisor", flags->advisor, "A built-in advisor instead of a study file (dlrm, once kiln train exists)");
  tune->add_option("--data", flags->data, "The advisor's prepared data directory");
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
  tune->callback([action, flags, tune] {
    if (tune->got_subcommand("show")) return;
    *action = [flags] { return RunTune(*flags); };
  });
}

}  // namespace kiln::cli
