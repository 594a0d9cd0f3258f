// WriteCriteoTsv: the library behind `kiln gen criteo`. Writes a synthetic
// Criteo-format click log (see criteo_tsv.h for the format and
// criteo_generator.h for the hidden model) and a small JSON file describing
// it, including the exact Bayes AUC of the labels.
//
// The bytes depend only on (rows, seed): not on the thread count, the
// machine's speed or how work was scheduled.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/status.h"
#include "kiln/core/thread_pool.h"

namespace kiln {

struct CriteoOptions {
  int64_t rows = 0;            // Lines to write. REQUIRES: >= 0
  uint64_t seed = 0;           // Selects the hidden model's salts and every random draw.
  bool show_progress = false;  // Report rows written through kiln::Progress.
};

struct CriteoSummary {
  int64_t rows = 0;            // Lines written.
  uint64_t seed = 0;           // As given.
  int64_t positives = 0;       // Lines labelled 1.
  double positive_rate = 0.0;  // positives / rows; 0 when rows is 0.
  double bayes_auc = 0.0;      // Exact AUC of the true (quantized) probabilities
                               // against the labels; NaN unless both labels occur.
  int64_t bytes = 0;           // Size of the TSV file.
};

// "<path>.meta.json", where WriteCriteoTsv describes the file at `path`.
std::string CriteoMetaPath(const std::string& path);

// Writes `options.rows` lines to `path` and the summary, as JSON, to
// CriteoMetaPath(path). Rows are generated in blocks on `pool` (null means
// ThreadPool::Default()) and written in order to a temporary file that is
// renamed to `path` only when complete, so a failed or killed run never leaves
// a partial file under `path`. The JSON is written (atomically) last, after
// any old one is removed: when it exists, it describes the file beside it.
// REQUIRES: not called from a task running on `pool` (it waits on that pool).
Result<CriteoSummary> WriteCriteoTsv(const std::string& path, const CriteoOptions& options,
                                     ThreadPool* pool = nullptr);

}  // namespace kiln
