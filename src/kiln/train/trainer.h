// RunTraining: `kiln train` as a library call, so a workflow stage can run it.
//
//   prep dir ──Loader (shuffled, sharded over ranks, first 1 - f of the rows)──▶
//     ids → table rows → hand-written lookup ─▶ DLRM forward (BF16 autocast)
//     ─▶ BCE ─▶ backward ─▶ dense grads all-reduced; embedding grads coalesced
//     per table and exchanged as (rows, values) ─▶ clip ─▶ optimizer: dense
//     blocks, touched embedding rows only
//   every eval_every steps and at the end: exact AUC, log loss, accuracy
//   over the held-out last f of the rows
//
// RUN_DIR (options.out) receives config.yaml, metrics.jsonl (one line per
// log/eval event), metrics.json (final: auc, logloss, accuracy,
// train_samples_per_s, steps, seconds, ...), checkpoint.kckp (every
// checkpoint_every steps and at the end) and model/ (saved_model.h).
//
// Every rank of `world` calls it with the same options; rank 0 writes files.
// A NaN or infinite loss stops the run with the step named, after writing
// the checkpoint of the last good step.
#pragma once

#include <string>

#include "kiln/core/status.h"
#include "kiln/dist/communicator.h"
#include "kiln/train/eval_metrics.h"
#include "kiln/train/train_options.h"

namespace kiln::train {

struct TrainSummary {
  EvalMetrics eval;                 // The last evaluation (rows 0 without held-out rows).
  int64_t steps = 0;                // Optimizer steps, resumed ones included.
  int64_t samples = 0;              // Training rows over all ranks.
  double seconds = 0;               // Training time (evaluation excluded), resumed runs included.
  double train_samples_per_s = 0;   // samples / seconds.
  double last_loss = 0;             // Mean training loss of the last step.
  bool early_stopped = false;       // target_auc was reached.
  std::string precision;            // What ran: fp32 or bf16.
};

// REQUIRES: world outlives the call.
Result<TrainSummary> RunTraining(const TrainOptions& options, dist::Communicator* world);

}  // namespace kiln::train
