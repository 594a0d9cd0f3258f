// The contract between the `kiln` entry point and its subcommands.
//
// Each subcommand registers its options on the CLI11 app and, when chosen,
// stores the work to do in *action. main() parses, then runs the one action
// and maps its Status to the exit code (0 ok, 1 failure, 2 usage).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "kiln/core/status.h"

namespace kiln::cli {

using Action = std::function<Status()>;

void AddVersionCommand(CLI::App* app, Action* action);
void AddGenCommand(CLI::App* app, Action* action);
void AddConvertCommand(CLI::App* app, Action* action);
void AddHeadCommand(CLI::App* app, Action* action);
void AddInspectCommand(CLI::App* app, Action* action);
void AddCatCommand(CLI::App* app, Action* action);
void AddPrepCommand(CLI::App* app, Action* action);
void AddLoaderBenchCommand(CLI::App* app, Action* action);
void AddTuneCommand(CLI::App* app, Action* action);
void AddTrainCommand(CLI::App* app, Action* action);
void AddPredictCommand(CLI::App* app, Action* action);
void AddEvaluateCommand(CLI::App* app, Action* action);
void AddRunCommand(CLI::App* app, Action* action);

}  // namespace kiln::cli
