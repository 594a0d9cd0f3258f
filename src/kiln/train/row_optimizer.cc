#include "kiln/train/row_optimizer.h"

#include <cmath>

namespace kiln::train {

namespace {

void AdamMoments(const OptimizerOptions& o, int64_t width, const float* g, float* m, float* v) {
  for (int64_t i = 0; i < width; ++i) {
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
  }
}

void Lamb(const OptimizerOptions& o, float lr, int64_t step, int64_t width, const float* g, float* w, float* m,
          float* v) {
  AdamMoments(o, width, g, m, v);
  const float c1 = 1.0f / (1.0f - std::pow(o.beta1, static_cast<float>(step)));
  const float c2 = 1.0f / (1.0f - std::pow(o.beta2, static_cast<float>(step)));
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

void UpdateBlock(const OptimizerOptions& options, float lr, int64_t step, int64_t width, const float* g, float* w,
                 float* first, float* second) {
  switch (options.kind) {
    case OptimizerKind::kSgd:
      for (int64_t i = 0; i < width; ++i) w[i] -= lr * g[i];
      return;
    case OptimizerKind::kAdagrad:
      for (int64_t i = 0; i < width; ++i) {
        first[i] += g[i] * g[i];
        w[i] -= lr * g[i] / (std::sqrt(first[i]) + options.epsilon);
      }
      return;
    case OptimizerKind::kAdam: {
      AdamMoments(options, width, g, first, second);
      const float c1 = 1.0f / (1.0f - std::pow(options.beta1, static_cast<float>(step)));
      const float c2 = 1.0f / (1.0f - std::pow(options.beta2, static_cast<float>(step)));
      for (int64_t i = 0; i < width; ++i) w[i] -= lr * first[i] * c1 / (std::sqrt(second[i] * c2) + options.epsilon);
      return;
    }
    case OptimizerKind::kLamb:
      Lamb(options, lr, step, width, g, w, first, second);
      return;
  }
}

}  // namespace kiln::train
