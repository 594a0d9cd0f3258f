// Memory budget of a prep run (`--memory-limit`, `memory_limit:`).
//
// The limit covers the whole process, so PlanMemory() divides what is left
// after the process's own footprint at start (code, libraries), what any
// run touches (worker stacks, codec contexts: 16 MB) and an eighth as a
// margin:
//   - batches in flight, a quarter: the reader parses up to 2 x threads
//     chunks ahead, the pass holds slots + 1 more, and each parsed batch is
//     about three times its text; this sets the rows per batch;
//   - the output writer, an eighth: one Parquet row group is buffered per
//     part file, which sets the rows per row group;
//   - statistics, the rest: during a fit pass every slot's accumulators
//     share it, and what passes a counter's share spills to disk
//     (value_counter.h); during the transform pass the fitted state (the
//     dictionaries) must fit in it, or the run stops with an error that says
//     so instead of exceeding the limit.
// The parsed-batch spill streams one batch at a time and needs no share.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/status.h"

namespace kiln::prep {

// What one operator may hold.
struct MemoryBudget {
  int64_t accumulator_bytes = 0;  // Per accumulator (one per slot); 0: unbounded.
  int64_t state_bytes = 0;        // Fitted state; 0: unbounded.
  std::string spill_directory;    // Where accumulators spill beyond their bytes.
};

struct MemoryPlan {
  int64_t batch_rows = 0;           // Rows per input batch.
  int64_t row_group_rows = 0;       // Rows per output row group.
  int64_t statistics_bytes = 0;     // For all accumulators together, and for the fitted state.
};

// REQUIRES: limit > 0, row_bytes > 0, threads >= 1.
// `baseline` is the process's resident bytes now; `row_bytes` the input's
// average text bytes per row. InvalidArgument when the limit leaves nothing
// for the run.
Result<MemoryPlan> PlanMemory(int64_t limit, int64_t baseline, int64_t row_bytes, int threads);

// Average bytes per line of the first 64 KB of the text file `path` (at least 1).
Result<int64_t> SampleRowBytes(const std::string& path);

// "256MB", "1.5GiB", "64k", "1000000" (bytes); units K/M/G/T, optional B
// or iB, any case, powers of 1024.
Result<int64_t> ParseByteSize(const std::string& text);

}  // namespace kiln::prep
