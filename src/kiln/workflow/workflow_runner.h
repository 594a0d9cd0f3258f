// RunWorkflow: `kiln run WORKFLOW.yaml` as a library call.
//
// Each stage runs as a child process of the kiln executable (its output
// copied to RUN_DIR/logs/STAGE.log and, when echoing, to stderr), with one
// progress line per stage: running, done in N s, or skipped. A stage is
// skipped when its fingerprint (fingerprint.h) equals the one recorded by
// its last successful run and its outputs exist; otherwise its record and
// artifact directory are removed first and the record is written only once
// it succeeded, so a killed run never looks complete. A changed stage
// changes the fingerprints of every stage that reads it, so they re-run too.
// `from_stage` forces that stage and every later one. A rebuilt executable
// re-runs the stages it runs: `kiln` gen and prep, `kiln-torch` (beside it)
// train, evaluate and predict.
//
// Before any stage runs, the train stage's options are checked by
// `kiln train --check`. A failing stage stops the run; the error names the
// stage, how it ended, its last line and its log. summary.json is written
// either way.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/workflow/run_summary.h"
#include "kiln/workflow/workflow_config.h"

namespace kiln::workflow {

struct RunOptions {
  std::string run_directory;                  // "": the workflow's `out`, else runs/NAME.
  std::string from_stage;                     // Force this stage and the later ones; "": none.
  std::string executable;                     // The kiln binary the stages run.
  std::string kiln_version;                   // In every fingerprint, with the stage's executable's stamp.
  std::vector<std::string> global_arguments;  // Put before each stage's command ("--threads", "2").
  bool echo = true;                           // Also copy stage output to stderr.
};

// REQUIRES: options.executable names a kiln binary.
Result<RunSummary> RunWorkflow(const WorkflowConfig& workflow, const RunOptions& options);

}  // namespace kiln::workflow
