// kiln run: a workflow of stages (gen, prep, train, evaluate, predict), each
// a kiln command, skipped on a re-run when its inputs did not change.
//   kiln run WORKFLOW.yaml [--out RUN_DIR] [--from STAGE] [--set STAGE.KEY=VALUE ...]
#include <cstdio>
#include <filesystem>

#include "cli/command.h"
#include "kiln/core/logging.h"
#include "kiln/core/thread_pool.h"
#include "kiln/workflow/workflow_runner.h"

namespace kiln::cli {

namespace {

struct RunFlags {
  std::string workflow;                // WORKFLOW.yaml.
  std::vector<std::string> overrides;  // --set STAGE.KEY=VALUE.
  workflow::RunOptions options;
};

Status RunRun(RunFlags flags) {
  auto config = workflow::ReadWorkflow(flags.workflow, flags.overrides);
  if (!config.ok()) return config.status();
  std::error_code error;
  flags.options.executable = std::filesystem::read_symlink("/proc/self/exe", error).string();
  if (error) return Status::IOError("/proc/self/exe: " + error.message());
  flags.options.kiln_version = KILN_VERSION;
  // The stages share this run's thread setting (--threads or KILN_THREADS).
  flags.options.global_arguments = {"--threads", std::to_string(DefaultThreadCount())};
  flags.options.echo = LogEnabled(LogLevel::kInfo);
  auto summary = workflow::RunWorkflow(*config, flags.options);
  if (!summary.ok()) return summary.status();
  int ran = 0;
  for (const workflow::StageOutcome& stage : summary->stages) ran += stage.status == workflow::StageStatus::kRan;
  std::printf("workflow %s: %zu stages (%d ran, %zu skipped) in %.1f s; %s/summary.json\n%s", summary->workflow.c_str(),
              summary->stages.size(), ran, summary->stages.size() - ran, summary->seconds,
              summary->run_directory.c_str(), workflow::SummaryTable(*summary).c_str());
  return Status::OK();
}

}  // namespace

void AddRunCommand(CLI::App* app, Action* action) {
  CLI::App* command = app->add_subcommand(
      "run", "Run a workflow (gen, prep, train, evaluate, predict), skipping stages whose inputs did not change");
  auto flags = std::make_shared<RunFlags>();
  command->add_option("workflow", flags->workflow, "Workflow file (YAML; see docs/workflow.md)")->required();
  command->add_option("--out", flags->options.run_directory,
                      "Run directory (default: the workflow's out, or runs/NAME)");
  command->add_option("--from", flags->options.from_stage, "Run this stage and every later one even if unchanged");
  command->add_option("--set", flags->overrides, "Override a stage key, e.g. --set gen.rows=300000 (repeatable)")
      ->allow_extra_args(false);
  command->callback([action, flags] { *action = [flags] { return RunRun(*flags); }; });
}

}  // namespace kiln::cli
