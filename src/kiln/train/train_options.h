// TrainOptions: everything `kiln train` takes, as one struct with defaults,
// and the one place that turns YAML keys or command-line flags into it.
//
// Every option has one key (snake_case in YAML, --kebab-case as a flag);
// SetTrainOption() is the single setter both go through, so a YAML file and
// flags accept exactly the same options with the same checks. Unknown keys
// and values of the wrong type fail naming the key before any work starts.
//
//   data: prep/            # a `kiln prep --recipe dlrm` output
//   out: runs/dlrm         # run directory
//   arch_mlp_bot: 13-512-256-64-16
//   arch_mlp_top: 512-256-1
//   emb_dim: 16
//   batch_size: 2048
//   precision: bf16
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/status.h"

namespace kiln::train {

struct TrainOptions {
  std::string data;                              // Prep output directory (parts + _state/).
  std::string out;                               // Run directory: metrics, checkpoint, model.
  std::string arch_mlp_bot = "13-512-256-64-16"; // Bottom MLP widths, dense width first.
  std::string arch_mlp_top = "512-256-1";        // Top MLP widths, ending in 1.
  int64_t emb_dim = 16;                          // Embedding dimension.
  std::string interaction = "dot";               // dot or cat.
  int64_t table_cap = 0;                         // Most rows per table, ids beyond hashed; 0: no cap.
  int64_t batch_size = 2048;                     // Global batch (split over ranks).
  int64_t epochs = 1;                            // Passes over the training rows.
  int64_t max_steps = 0;                         // Stop after this many steps; 0: no limit.
  double eval_fraction = 0.1;                    // The last rows held out for evaluation.
  int64_t eval_every = 0;                        // Evaluate every N steps (and at the end); 0: at the end.
  double target_auc = 0;                         // Stop early once the held-out AUC reaches it; 0: never.
  std::string precision = "fp32";                // fp32 or bf16 (autocast; falls back without CPU support).
  std::string optimizer = "adam";                // sgd, adagrad, adam or lamb (adam: best held-out AUC, benchmarks.md).
  double learning_rate = 0.001;                  // Peak learning rate.
  int64_t warmup_steps = 0;                      // Linear warm-up steps.
  int64_t decay_start = 0;                       // Polynomial decay begins after this step.
  int64_t decay_steps = 0;                       // Steps of decay to 0; 0: no decay.
  double decay_power = 2;                        // Power of the decay.
  double beta1 = 0.9;                            // Adam, LAMB.
  double beta2 = 0.999;                          // Adam, LAMB.
  double epsilon = 1e-8;                         // Adagrad, Adam, LAMB.
  double weight_decay = 0;                       // Adam: L2 in the gradient; LAMB: decoupled decay.
  double clip_norm = 0;                          // Clip the global gradient norm to this; 0: off.
  int64_t threads = 0;                           // Intra-op threads; 0: the cores (divided among local ranks).
  int64_t seed = 0;                              // Initialisation and shuffling.
  bool shuffle = true;                           // Shuffle training rows each epoch.
  int64_t shuffle_buffer_rows = 262144;          // Rows mixed in memory.
  int64_t checkpoint_every = 0;                  // Save a checkpoint every N steps (and at the end); 0: at the end.
  bool resume = false;                           // Continue from OUT/checkpoint.kckp if present.
  int64_t log_every = 100;                       // Metrics line every N steps.
};

// Every key, in the order the help lists them.
std::vector<std::string> TrainOptionKeys();
// True for keys that take no value as a flag (--shuffle, --resume).
bool IsBoolTrainOption(const std::string& key);
// A one-line description for the help.
std::string TrainOptionHelp(const std::string& key);

// Sets `key` from its text. InvalidArgument "`where`: 'key': ..." for an
// unknown key or a value that does not parse as the key's type.
Status SetTrainOption(const std::string& key, const std::string& value, const std::string& where,
                      TrainOptions* options);

// Applies a YAML mapping of keys to scalars (`source` names the file in
// messages, with line:column).
Status ApplyTrainYaml(const std::string& text, const std::string& source, TrainOptions* options);

// Value checks that need no files: ranges, names, layer strings.
Status ValidateTrainOptions(const TrainOptions& options);

// The options as YAML (what the run directory keeps as config.yaml).
std::string TrainOptionsYaml(const TrainOptions& options);

}  // namespace kiln::train
