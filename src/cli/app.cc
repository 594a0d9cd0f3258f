#include "cli/app.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "kiln/core/logging.h"
#include "kiln/core/progress.h"
#include "kiln/core/thread_pool.h"
#include "kiln/dist/world.h"

namespace kiln::cli {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct GlobalFlags {
  int threads = 0;       // 0: KILN_THREADS or the core count.
  bool quiet = false;    // Warnings and errors only, no progress.
  bool verbose = false;  // Debug logging.
};

void ApplyGlobalFlags(const GlobalFlags& flags) {
  if (flags.threads > 0) {
    SetDefaultThreadCount(flags.threads);
  } else if (int local_ranks = dist::LocalRankCount(); local_ranks > 1 && !std::getenv("KILN_THREADS")) {
    // Ranks on one machine share its cores instead of each taking them all.
    SetDefaultThreadCount(std::max(1, DefaultThreadCount() / local_ranks));
  }
  if (flags.verbose) SetLogLevel(LogLevel::kDebug);
  if (flags.quiet) {
    SetLogLevel(LogLevel::kWarn);
    Progress::SetEnabled(false);
  }
}

}  // namespace

int RunKiln(int argc, char** argv, const AddCommands& add_commands) {
  CLI::App app{"kiln: tabular and recommender AI from raw files to trained models, on CPUs"};
  app.name("kiln");
  app.require_subcommand(1);
  GlobalFlags flags;
  app.add_option("--threads", flags.threads,
                 "Worker threads (default: KILN_THREADS, or all cores shared among the ranks mpirun started here)")
      ->check(CLI::PositiveNumber);
  app.add_flag("-q,--quiet", flags.quiet, "Only warnings and errors; no progress bars");
  app.add_flag("-v,--verbose", flags.verbose, "Debug logging");
  Action action;
  add_commands(&app, &action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  ApplyGlobalFlags(flags);
  // Under mpirun every rank runs the same command; a plain run never starts MPI.
  Status status = dist::InitWorld(&argc, &argv);
  if (status.ok()) status = action();
  dist::FinalizeWorld();
  if (!status.ok()) {
    std::fprintf(stderr, "kiln: %s\n", status.ToString().c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace kiln::cli
