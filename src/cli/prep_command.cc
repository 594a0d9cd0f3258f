// kiln prep: data processing pipelines (kiln_prep) from the command line.
//   kiln prep PIPELINE.yaml [--overwrite]
//   kiln prep --recipe dlrm --in FILE_OR_DIR --out DIR [--min-freq T] [--rows-per-part N]
//   kiln prep apply STATE_DIR --in NEW --out OUT
// Under `mpirun -np N`, `kiln prep` runs distributed (prep_job.h).
#include <malloc.h>

#include <cstdio>

#include "cli/command.h"
#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/dist/world.h"
#include "kiln/prep/dlrm_recipe.h"
#include "kiln/prep/memory_budget.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/prep_job.h"

namespace kiln::cli {

namespace {

struct PrepFlags {
  std::string pipeline;             // PIPELINE.yaml.
  std::string recipe;               // "dlrm".
  std::string in;                   // Overrides the pipeline's input path.
  std::string out;                  // Overrides the pipeline's output path.
  int64_t min_freq = 3;             // Recipe dlrm: T.
  int64_t rows_per_part = 1 << 20;  // Recipe dlrm: rows per part file.
  std::string format = "parquet";   // Recipe dlrm: part format.
  std::string on_error = "error";   // Recipe dlrm: error|skip.
  bool overwrite = false;           // Replace a non-empty output directory.
  std::string memory_limit;         // "256MB": overrides the pipeline's.
};

struct ApplyFlags {
  std::string state;  // STATE_DIR.
  std::string in;
  std::string out;
  bool overwrite = false;
};

void Report(const prep::PrepSummary& summary, const std::string& out) {
  char text[256];
  std::snprintf(text, sizeof(text), "wrote %ld rows to %s in %.2f s (%d passes%s), peak RSS %ld MB",
                static_cast<long>(summary.rows_out), out.c_str(), summary.seconds, summary.passes,
                summary.rows_skipped ? (", " + std::to_string(summary.rows_skipped) + " rows skipped").c_str() : "",
                static_cast<long>(summary.peak_rss >> 20));
  LogInfo(text);
}

// The passes allocate and free batch-sized buffers (hundreds of KB to a few
// MB) at a high rate. glibc would return them to the kernel and fault fresh
// zeroed pages back in each time; keeping freed memory for reuse saves about
// a tenth of the CPU time of a run, for a few tens of MB more RSS.
void KeepFreedMemory() {
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

Status RunPrep(const PrepFlags& flags) {
  Result<prep::PrepJob> job = Status::InvalidArgument("give PIPELINE.yaml or --recipe");
  if (!flags.recipe.empty()) {
    if (!flags.pipeline.empty()) return Status::InvalidArgument("give PIPELINE.yaml or --recipe, not both");
    if (flags.recipe != "dlrm") return Status::InvalidArgument("unknown recipe '" + flags.recipe + "' (known: dlrm)");
    if (flags.in.empty() || flags.out.empty()) return Status::InvalidArgument("--recipe dlrm needs --in and --out");
    prep::DlrmRecipeOptions options;
    options.input = flags.in;
    options.output = flags.out;
    options.min_freq = flags.min_freq;
    options.rows_per_part = flags.rows_per_part;
    options.overwrite = flags.overwrite;
    options.format = flags.format;
    options.on_error = flags.on_error;
    job = prep::DlrmRecipeJob(options);
  } else if (!flags.pipeline.empty()) {
    auto text = ReadFileToString(flags.pipeline);
    if (!text.ok()) return text.status();
    job = prep::ParsePrepYaml(*text, flags.pipeline);
  }
  if (!job.ok()) return job.status();
  if (!flags.in.empty()) job->input.path = flags.in;
  if (!flags.out.empty()) job->output.path = flags.out;
  if (flags.overwrite) job->output.dataset.overwrite = true;
  if (!flags.memory_limit.empty()) {
    auto limit = prep::ParseByteSize(flags.memory_limit);
    if (!limit.ok()) return limit.status().WithContext("--memory-limit");
    job->memory_limit = *limit;
  }
  // Kept memory counts against a limit, so only unlimited runs keep it; a
  // limited run also shares two malloc arenas, since each arena's free
  // memory stays resident.
  if (job->memory_limit == 0) KeepFreedMemory();
  if (job->memory_limit > 0) mallopt(M_ARENA_MAX, 2);
  dist::Communicator& world = dist::World();
  auto summary = prep::RunPrepJob(&*job, &world);
  if (!summary.ok()) return summary.status();
  if (world.rank() == 0) Report(*summary, job->output.path);
  return Status::OK();
}

Status RunApply(const ApplyFlags& flags) {
  KeepFreedMemory();
  dist::Communicator& world = dist::World();
  auto summary = prep::ApplyPrepState(flags.state, flags.in, flags.out, flags.overwrite, &world);
  if (!summary.ok()) return summary.status();
  if (world.rank() == 0) Report(*summary, flags.out);
  return Status::OK();
}

}  // namespace

void AddPrepCommand(CLI::App* app, Action* action) {
  CLI::App* prep = app->add_subcommand("prep", "Data processing and feature engineering pipelines");
  auto flags = std::make_shared<PrepFlags>();
  prep->add_option("pipeline", flags->pipeline, "Pipeline file (YAML: input, output, steps)");
  prep->add_option("--recipe", flags->recipe, "A built-in pipeline: dlrm (Criteo TSV to DLRM inputs)");
  prep->add_option("--in", flags->in, "Input file or directory (overrides the pipeline's)");
  prep->add_option("--out", flags->out, "Output dataset directory (overrides the pipeline's)");
  prep->add_option("--min-freq", flags->min_freq, "dlrm: values seen fewer times get id 0")
      ->check(CLI::PositiveNumber);
  prep->add_option("--rows-per-part", flags->rows_per_part, "dlrm: rows per part file")->check(CLI::PositiveNumber);
  prep->add_option("--format", flags->format, "dlrm: part file format (parquet, csv, tsv, jsonl, dlrm)");
  prep->add_option("--on-error", flags->on_error, "dlrm: error or skip malformed rows (skipped rows are counted)");
  prep->add_flag("--overwrite", flags->overwrite, "Replace a non-empty output directory");
  prep->add_option("--memory-limit", flags->memory_limit,
                   "Peak memory of the run, e.g. 256MB (overrides the pipeline's memory_limit)");

  CLI::App* apply = prep->add_subcommand("apply", "Transform new data with a saved fitted state");
  auto apply_flags = std::make_shared<ApplyFlags>();
  apply->add_option("state", apply_flags->state, "The _state directory of an earlier run")->required();
  apply->add_option("--in", apply_flags->in, "Input file or directory")->required();
  apply->add_option("--out", apply_flags->out, "Output dataset directory")->required();
  apply->add_flag("--overwrite", apply_flags->overwrite, "Replace a non-empty output directory");

  apply->callback([action, apply_flags] { *action = [apply_flags] { return RunApply(*apply_flags); }; });
  prep->callback([action, flags, prep] {
    if (prep->got_subcommand("apply")) return;
    *action = [flags] { return RunPrep(*flags); };
  });
}

}  // namespace kiln::cli
