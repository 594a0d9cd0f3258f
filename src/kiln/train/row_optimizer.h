// Optimizers written out over float arrays, one block at a time: a dense
// weight tensor is one block, an embedding row is one block. The same code
// thus serves the MLPs and the sparse row-wise embedding updates, and the
// tests check it against closed-form steps.
//
//   sgd      w -= lr·g
//   adagrad  s += g²;  w -= lr·g / (sqrt(s) + eps)
//   adam     g += wd·w;  m = b1·m + (1-b1)·g;  v = b2·v + (1-b2)·g²;
//            w -= lr·m̂ / (sqrt(v̂) + eps), m̂ = m/(1-b1^t), v̂ = v/(1-b2^t)
//   lamb     (You et al., "Large Batch Optimization for Deep Learning",
//            Algorithm 2) u = m̂ / (sqrt(v̂) + eps) + wd·w;
//            w -= lr · (‖w‖ / ‖u‖) · u, the trust ratio taken per block and
//            1 when either norm is 0.
//
// Embedding rows are updated lazily: a row's moments change only in steps
// that touch it, with bias correction from the global step (as PyTorch's
// SparseAdam does); for LAMB the trust ratio is per row.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/status.h"

namespace kiln::train {

enum class OptimizerKind { kSgd, kAdagrad, kAdam, kLamb };

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::kSgd;  // Update rule.
  float beta1 = 0.9f;                        // Adam, LAMB: first moment decay.
  float beta2 = 0.999f;                      // Adam, LAMB: second moment decay.
  float epsilon = 1e-8f;                     // Adagrad, Adam, LAMB: denominator guard.
  float weight_decay = 0.0f;                 // Adam: L2 in the gradient; LAMB: decay inside the trust ratio.
};

// "sgd", "adagrad", "adam" or "lamb"; InvalidArgument naming `key` otherwise.
Result<OptimizerKind> ParseOptimizerKind(const std::string& text, const std::string& key);

// State floats the rule keeps per weight: 0 (sgd), 1 (adagrad), 2 (adam, lamb).
int StateSlots(OptimizerKind kind);

// The update rule of one step: what depends only on the step (learning
// rate, bias corrections) is computed once, then applied to many blocks.
class StepUpdate {
 public:
  // REQUIRES: step >= 1 (global, from 1).
  StepUpdate(const OptimizerOptions& options, float learning_rate, int64_t step);

  // Updates weights[0, width) from gradient[0, width) as one block.
  // `first` and `second` hold StateSlots() arrays of `width` floats (unused
  // ones may be null).
  // REQUIRES: the arrays do not overlap.
  void Apply(int64_t width, const float* gradient, float* weights, float* first, float* second) const;

 private:
  OptimizerOptions options_;  // The rule.
  float learning_rate_;       // This step's.
  float correction1_ = 1;     // Adam, LAMB: 1 / (1 - beta1^step).
  float correction2_ = 1;     // Adam, LAMB: 1 / (1 - beta2^step).
};

}  // namespace kiln::train
