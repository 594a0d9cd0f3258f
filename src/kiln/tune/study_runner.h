// RunStudy: drives an advisor's study to its budget with N workers (threads,
// each with its own StudyStore connection) on one SQLite database, which
// other `kiln tune` processes may share. Each worker reserves a trial (the
// sampler runs inside the reservation), runs it through the advisor's
// launcher, feeds intermediate reports to the pruner, and stores the
// outcome. Failed trials do not count towards the budget; the run gives up
// once more trials have failed than the budget.
#pragma once

#include <string>

#include "kiln/tune/advisor.h"

namespace kiln::tune {

struct RunOptions {
  std::string database;            // The SQLite file (created if absent).
  int workers = 1;                 // Trials at a time in this process.
  double heartbeat_grace_s = 60;   // Running trials silent this long are failed.
  std::string trials_directory;    // Per-trial scratch: DIR/<study>/<number>/ ("": DATABASE.trials).
};

struct RunSummary {
  int64_t completed = 0;  // Trials this process completed.
  int64_t pruned = 0;
  int64_t failed = 0;
};

Result<RunSummary> RunStudy(const Advisor& advisor, const RunOptions& options);

}  // namespace kiln::tune
