// kiln train: DLRM training on a prepared dataset (kiln_train).
//   kiln train [CONFIG.yaml] [--data PREP_DIR] [--out RUN_DIR] [--arch-mlp-bot 13-512-256-64-16] ...
// Every key of the YAML file is also a flag (snake_case key = --kebab-case
// flag); flags override the file. Under `mpirun -np N` the run is
// data-parallel.
#include <map>

#include "cli/command.h"
#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/data/column_mapping.h"
#include "kiln/models/dlrm_config.h"
#include "kiln/dist/world.h"
#include "kiln/train/trainer.h"

namespace kiln::cli {

namespace {

struct TrainFlags {
  std::string config;                         // CONFIG.yaml, optional.
  std::map<std::string, std::string> values;  // Key -> text of the flags given.
  std::map<std::string, bool> switches;       // Boolean keys given as flags.
  bool check = false;                         // Only check the options (what `kiln run` does first).
};

std::string FlagName(std::string key) {
  for (char& c : key) {
    if (c == '_') c = '-';
  }
  return "--" + key;
}

// --check: the options, and the architecture against the dlrm recipe's
// columns (one-row tables stand in for the data's), so that `kiln run` finds
// a bottom MLP that does not fit emb_dim before any stage runs.
Status CheckOptions(const train::TrainOptions& options) {
  Status status = train::ValidateTrainOptions(options);
  if (!status.ok()) return status;
  const data::ColumnMapping mapping = data::DlrmColumnMapping();
  models::DlrmConfig config;
  config.bottom_mlp = *models::ParseLayerSizes(options.arch_mlp_bot, "arch_mlp_bot");
  config.top_mlp = *models::ParseLayerSizes(options.arch_mlp_top, "arch_mlp_top");
  config.interaction = *models::ParseInteraction(options.interaction, "interaction");
  config.embedding_dim = options.emb_dim;
  config.table_rows.assign(mapping.sparse.size(), 1);
  return models::ValidateDlrmConfig(config, static_cast<int>(mapping.dense.size()),
                                    static_cast<int>(mapping.sparse.size()));
}

Status RunTrain(const TrainFlags& flags, const std::vector<std::string>& given) {
  train::TrainOptions options;
  if (!flags.config.empty()) {
    auto text = ReadFileToString(flags.config);
    if (!text.ok()) return text.status();
    Status status = train::ApplyTrainYaml(*text, flags.config, &options);
    if (!status.ok()) return status;
  }
  for (const std::string& key : given) {
    auto value = flags.values.find(key);
    const std::string text =
        value != flags.values.end() ? value->second : (flags.switches.at(key) ? "true" : "false");
    Status status = train::SetTrainOption(key, text, FlagName(key), &options);
    if (!status.ok()) return status;
  }
  if (flags.check) return CheckOptions(options);
  dist::Communicator& world = dist::World();
  auto summary = train::RunTraining(options, &world);
  if (!summary.ok()) return summary.status();
  if (world.rank() == 0) {
    char text[256];
    std::snprintf(text, sizeof(text), "%ld steps, %.0f samples/s (%s); held-out AUC %.5f, log loss %.5f -> %s",
                  static_cast<long>(summary->steps), summary->train_samples_per_s, summary->precision.c_str(),
                  summary->eval.auc, summary->eval.logloss, (options.out + "/metrics.json").c_str());
    LogInfo(text);
  }
  return Status::OK();
}

}  // namespace

void AddTrainCommand(CLI::App* app, Action* action) {
  CLI::App* command = app->add_subcommand("train", "Train a DLRM model on a prepared dataset");
  auto flags = std::make_shared<TrainFlags>();
  command->add_option("config", flags->config, "YAML file of options (every key is also a flag)");
  for (const std::string& key : train::TrainOptionKeys()) {
    if (train::IsBoolTrainOption(key)) {
      command->add_flag(FlagName(key), flags->switches[key], train::TrainOptionHelp(key));
    } else {
      command->add_option(FlagName(key), flags->values[key], train::TrainOptionHelp(key));
    }
  }
  command->add_flag("--check", flags->check, "Check the options without reading data or training");
  command->callback([action, flags, command] {
    std::vector<std::string> given;
    for (const std::string& key : train::TrainOptionKeys()) {
      if (command->count(FlagName(key)) > 0) given.push_back(key);
    }
    *action = [flags, given] { return RunTrain(*flags, given); };
  });
}

}  // namespace kiln::cli
