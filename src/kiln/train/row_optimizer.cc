#include "kiln/train/row_optimizer.h"

#include <cmath>

namespace kiln::train {

namespace {

// The loops take restrict pointers (the blocks never overlap) so that they
// vectorize.

void Sgd(float lr, int64_t width, const float* __restrict g, float* __restrict w) {
  for (int64_t i = 0; i < width; ++i) w[i] -= lr * g[i];
}

void Adagrad(float lr, float epsilon, int64_t width, const float* __restrict g, float* __restrict w,
             float* __restrict s) {
  for (int64_t i = 0; i < width; ++i) {
    s[i] += g[i] * g[i];
    w[i] -= lr * g[i] / (std::sqrt(s[i]) + epsilon);
  }
}

// The moments of g + l2·w (l2 = 0: of g alone).
void AdamMoments(const OptimizerOptions& o, float l2, int64_t width, const float* __restrict g,
                 const float* __restrict w, float* __restrict m, float* __restrict v) {
  for (int64_t i = 0; i < width; ++i) {
    const float gradient = g[i] + l2 * w[i];
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * gradient;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * gradient * gradient;
  }
}

void Adam(float lr, float c1, float c2, float epsilon, int64_t width, float* __restrict w, const float* __restrict m,
          const float* __restrict v) {
  for (int64_t i = 0; i < width; ++i) w[i] -= lr * m[i] * c1 / (std::sqrt(v[i] * c2) + epsilon);
}

void Lamb(const OptimizerOptions& o, float lr, float c1, float c2, int64_t width, float* __restrict w,
          const float* __restrict m, const float* __restrict v) {
  double weight_norm = 0, update_norm = 0;
  for (int64_t i = 0; i < width; ++i) {
    const float u = m[i] * c1 / (std::sqrt(v[i] * c2) + o.epsilon) + o.weight_decay * w[i];
    weight_norm += static_cast<double>(w[i]) * w[i];
    update_norm += static_cast<double>(u) * u;
  }
  const float ratio =
      weight_norm > 0 && update_norm > 0 ? static_cast<float>(std::sqrt(weight_norm) / std::sqrt(update_norm)) : 1.0f;
  for (int64_t i = 0; i < width; ++i) {
    const float u = m[i] * c1 / (std::sqrt(v[i] * c2) + o.epsilon) + o.weight_decay * w[i];
    w[i] -= lr * ratio * u;
  }
}

}  // namespace

Result<OptimizerKind> ParseOptimizerKind(const std::string& text, const std::string& key) {
  if (text == "sgd") return OptimizerKind::kSgd;
  if (text == "adagrad") return OptimizerKind::kAdagrad;
  if (text == "adam") return OptimizerKind::kAdam;
  if (text == "lamb") return OptimizerKind::kLamb;
  return Status::InvalidArgument("'" + key + "': expected sgd, adagrad, adam or lamb, not '" + text + "'");
}

int StateSlots(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::kSgd: return 0;
    case OptimizerKind::kAdagrad: return 1;
    case OptimizerKind::kAdam:
    case OptimizerKind::kLamb: return 2;
  }
  return 0;
}

StepUpdate::StepUpdate(const OptimizerOptions& options, float learning_rate, int64_t step)
    : options_(options), learning_rate_(learning_rate) {
  if (StateSlots(options.kind) == 2) {
    correction1_ = 1.0f / (1.0f - std::pow(options.beta1, static_cast<float>(step)));
    correction2_ = 1.0f / (1.0f - std::pow(options.beta2, static_cast<float>(step)));
  }
}

void StepUpdate::Apply(int64_t width, const float* gradient, float* weights, float* first, float* second) const {
  switch (options_.kind) {
    case OptimizerKind::kSgd:
      Sgd(learning_rate_, width, gradient, weights);
      return;
    case OptimizerKind::kAdagrad:
      Adagrad(learning_rate_, options_.epsilon, width, gradient, weights, first);
      return;
    case OptimizerKind::kAdam:  // Weight decay as an L2 term in the gradient, as torch.optim.Adam.
      AdamMoments(options_, options_.weight_decay, width, gradient, weights, first, second);
      Adam(learning_rate_, correction1_, correction2_, options_.epsilon, width, weights, first, second);
      return;
    case OptimizerKind::kLamb:  // Weight decay inside the trust ratio instead (the paper's).
      AdamMoments(options_, 0.0f, width, gradient, weights, first, second);
      Lamb(options_, learning_rate_, correction1_, correction2_, width, weights, first, second);
      return;
  }
}

}  // namespace kiln::train
