// PrepJob: a whole `kiln prep` run (where to read, the pipeline, where to
// write) and the two ways to execute one: RunPrepJob fits and transforms,
// ApplyPrepState transforms new data with a saved fitted state. Both use the
// same transform code, so training and serving encode identically.
//
// A run: (1) reads hex32 text columns as uint32 while their text is
// canonical (CsvOptions::strict_hex32) and, when pass 1 meets other text,
// starts over reading them as strings; with a memory limit, sizes batches,
// row groups and the operators' budgets (memory_budget.h); (2) plans the
// pipeline into stages (stage_plan.h: one unless Sort, Shuffle,
// DifferenceLag or CollapseByHist reorder the stream); per stage, (3) runs the fit passes the stage planned, each a
// parallel pass with one accumulator set per worker, merged at the end; the
// first pass also spills the parsed batches (batch_spill.h) that later
// passes read instead of the text; (4) runs the transform pass, into the
// next stage's external sort, or for the last stage into part files in
// stream order (with a Split, one dataset per split, split_writer.h);
// (5) saves <out>/_state (pipeline.yaml, state.json, dictionaries) and
// publishes <out> atomically. Each pass logs rows/s, CPU time and peak RSS.
#pragma once

#include <string>

#include "kiln/dist/communicator.h"
#include "kiln/prep/dataset_writer.h"
#include "kiln/prep/input_source.h"
#include "kiln/prep/pipeline.h"

namespace kiln::prep {

struct OutputSpec {
  std::string path;             // The dataset directory.
  DatasetWriteOptions dataset;  // Format, rows per part, overwrite.
};

struct PrepJob {
  InputSpec input;
  OutputSpec output;
  Pipeline pipeline;  // Not bound yet.
  std::string yaml;   // The job as YAML text, saved as _state/pipeline.yaml.
  int64_t memory_limit = 0;  // Bytes for the whole process (memory_budget.h); 0: no limit.
};

// What a run did.
struct PrepSummary {
  int64_t rows_in = 0;       // Rows read in the transform pass.
  int64_t rows_skipped = 0;  // Malformed rows dropped under on_error: skip.
  int64_t rows_out = 0;      // Rows written.
  int passes = 0;            // Passes over the input, fit and transform.
  double seconds = 0;        // Wall time of the whole run.
  int64_t peak_rss = 0;      // Peak resident bytes of the process at the end of the run.
};

// Runs the job alone, or as one rank of `world` (the same call on every
// rank): each rank reads its share of the input (input_share.h), the fit
// statistics are merged across ranks (distributed_fit.h), each rank writes
// its own parts, and rank 0 saves the state and publishes the directory. A
// failure on any rank fails the run on every rank, with its message.
// The summary counts rows over all ranks.
Result<PrepSummary> RunPrepJob(PrepJob* job, dist::Communicator* world = nullptr);

// Transforms `input_path` (read like the saved job's input) into the dataset
// directory `output_path` with the state in `state_directory`; alone, or as
// one rank of `world`, like RunPrepJob.
Result<PrepSummary> ApplyPrepState(const std::string& state_directory, const std::string& input_path,
                                   const std::string& output_path, bool overwrite,
                                   dist::Communicator* world = nullptr);

}  // namespace kiln::prep
