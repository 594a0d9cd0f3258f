// kiln: one binary for the whole flow, from raw files to trained models.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "kiln/core/logging.h"
#include "kiln/core/progress.h"
#include "kiln/core/thread_pool.h"
#include "kiln/dist/world.h"

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
    kiln::SetDefaultThreadCount(flags.threads);
  } else if (int local_ranks = kiln::dist::LocalRankCount(); local_ranks > 1 && !std::getenv("KILN_THREADS")) {
    // Ranks on one machine share its cores instead of each taking them all.
    kiln::SetDefaultThreadCount(std::max(1, kiln::DefaultThreadCount() / local_ranks));
  }
  if (flags.verbose) kiln::SetLogLevel(kiln::LogLevel::kDebug);
  if (flags.quiet) {
    kiln::SetLogLevel(kiln::LogLevel::kWarn);
    kiln::Progress::SetEnabled(false);
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"kiln: tabular and recommender AI from raw files to trained models, on CPUs"};
  app.name("kiln");
  app.require_subcommand(1);
  GlobalFlags flags;
  app.add_option("--threads", flags.threads,
                 "Worker threads (default: KILN_THREADS, or all cores shared among the ranks mpirun started here)")
      ->check(CLI::PositiveNumber);
  app.add_flag("-q,--quiet", flags.quiet, "Only warnings and errors; no progress bars");
  app.add_flag("-v,--verbose", flags.verbose, "Debug logging");

  kiln::cli::Action action;
  kiln::cli::AddVersionCommand(&app, &action);
  kiln::cli::AddGenCommand(&app, &action);
  kiln::cli::AddConvertCommand(&app, &action);
  kiln::cli::AddHeadCommand(&app, &action);
  kiln::cli::AddInspectCommand(&app, &action);
  kiln::cli::AddCatCommand(&app, &action);
  kiln::cli::AddPrepCommand(&app, &action);
  kiln::cli::AddLoaderBenchCommand(&app, &action);
  kiln::cli::AddTuneCommand(&app, &action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  ApplyGlobalFlags(flags);
  // Under mpirun every rank runs the same command; a plain run never starts MPI.
  kiln::Status status = kiln::dist::InitWorld(&argc, &argv);
  if (status.ok()) status = action();
  kiln::dist::FinalizeWorld();
  if (!status.ok()) {
    std::fprintf(stderr, "kiln: %s\n", status.ToString().c_str());
    return kExitFailure;
  }
  return kExitOk;
}
