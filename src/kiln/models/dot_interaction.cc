#include "kiln/models/dot_interaction.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <vector>

namespace kiln::models {

namespace {

// The kernels work on blocks of kLanes examples in a [feature][dim][lane]
// layout, so every multiply-add is a full vector across examples: no
// remainder loops over short pair rows, and no sum is reordered. The clones
// pick AVX-512 or AVX2 at load time from the CPU's flags; the build itself
// assumes only baseline x86-64.
constexpr int64_t kLanes = 16;

// Shapes of one call.
struct Shape {
  int64_t batch;     // Examples.
  int64_t dim;       // D.
  int64_t features;  // F = tables + 1.
  int64_t width() const { return dim + features * (features - 1) / 2; }
};

// blocked[(f·dim + d)·kLanes + l] = feature f, element d of example first+l;
// zero for lanes past the batch.
void LoadBlock(const float* x, const float* e, const Shape& shape, int64_t first, float* blocked) {
  const int64_t lanes = std::min(kLanes, shape.batch - first);
  const int64_t tables = shape.features - 1;
  std::fill(blocked, blocked + shape.features * shape.dim * kLanes, 0.0f);
  for (int64_t l = 0; l < lanes; ++l) {
    const int64_t b = first + l;
    for (int64_t d = 0; d < shape.dim; ++d) blocked[d * kLanes + l] = x[b * shape.dim + d];
    for (int64_t t = 0; t < tables; ++t) {
      const float* row = e + (b * tables + t) * shape.dim;
      float* target = blocked + (t + 1) * shape.dim * kLanes;
      for (int64_t d = 0; d < shape.dim; ++d) target[d * kLanes + l] = row[d];
    }
  }
}

// Pair (i, j) sums f_i[d]·f_j[d] in d order, in registers. scratch: features·dim·kLanes floats.
__attribute__((target_clones("avx512f", "avx2", "default")))
void ForwardBlocks(const float* x, const float* e, const Shape& shape, int64_t begin, int64_t end, float* scratch,
                   float* out) {
  const int64_t width = shape.width(), dim = shape.dim;
  for (int64_t first = begin; first < end; first += kLanes) {
    LoadBlock(x, e, shape, first, scratch);
    const int64_t lanes = std::min(kLanes, shape.batch - first);
    for (int64_t l = 0; l < lanes; ++l) {
      std::copy(x + (first + l) * dim, x + (first + l + 1) * dim, out + (first + l) * width);
    }
    int64_t column = dim;
    for (int64_t i = 1; i < shape.features; ++i) {
      for (int64_t j = 0; j < i; ++j, ++column) {
        float sum[kLanes] = {};
        for (int64_t d = 0; d < dim; ++d) {
          const float* a = scratch + (i * dim + d) * kLanes;
          const float* b = scratch + (j * dim + d) * kLanes;
          for (int64_t l = 0; l < kLanes; ++l) sum[l] += a[l] * b[l];
        }
        for (int64_t l = 0; l < lanes; ++l) out[(first + l) * width + column] = sum[l];
      }
    }
  }
}

// df_i = sum_j G[i][j]·f_j, with G the symmetric matrix of the pair
// gradients (zero diagonal): one accumulator per (i, d) stays in registers.
// scratch: features·dim·kLanes floats for the features, then
// features²·kLanes for G.
__attribute__((target_clones("avx512f", "avx2", "default")))
void BackwardBlocks(const float* x, const float* e, const float* grad, const Shape& shape, int64_t begin,
                    int64_t end, float* scratch, float* dx, float* de) {
  const int64_t width = shape.width(), dim = shape.dim, features = shape.features, tables = features - 1;
  float* values = scratch;
  float* pair_matrix = scratch + features * dim * kLanes;
  for (int64_t first = begin; first < end; first += kLanes) {
    LoadBlock(x, e, shape, first, values);
    const int64_t lanes = std::min(kLanes, shape.batch - first);
    std::fill(pair_matrix, pair_matrix + features * features * kLanes, 0.0f);
    for (int64_t l = 0; l < lanes; ++l) {
      const float* pairs = grad + (first + l) * width + dim;
      for (int64_t i = 1; i < features; ++i) {
        for (int64_t j = 0; j < i; ++j, ++pairs) {
          pair_matrix[(i * features + j) * kLanes + l] = *pairs;
          pair_matrix[(j * features + i) * kLanes + l] = *pairs;
        }
      }
    }
    for (int64_t i = 0; i < features; ++i) {
      for (int64_t d = 0; d < dim; ++d) {
        float sum[kLanes] = {};
        for (int64_t j = 0; j < features; ++j) {
          const float* g = pair_matrix + (i * features + j) * kLanes;
          const float* f = values + (j * dim + d) * kLanes;
          for (int64_t l = 0; l < kLanes; ++l) sum[l] += g[l] * f[l];
        }
        for (int64_t l = 0; l < lanes; ++l) {
          const int64_t b = first + l;
          if (i == 0) {
            dx[b * dim + d] = grad[b * width + d] + sum[l];
          } else {
            de[(b * tables + i - 1) * dim + d] = sum[l];
          }
        }
      }
    }
  }
}

// Blocks per parallel task: enough work to amortise scheduling.
constexpr int64_t kGrainBlocks = 4;

int64_t Blocks(int64_t batch) { return (batch + kLanes - 1) / kLanes; }

class DotInteractionFunction : public torch::autograd::Function<DotInteractionFunction> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* context, const torch::Tensor& x_in,
                               const torch::Tensor& embedded_in) {
    torch::Tensor x = x_in.contiguous();
    torch::Tensor embedded = embedded_in.contiguous();
    context->save_for_backward({x, embedded});
    const int64_t batch = x.size(0), dim = x.size(1), features = embedded.size(1) + 1;
    torch::Tensor out = torch::empty({batch, dim + features * (features - 1) / 2}, x.options());
    const float* xs = x.data_ptr<float>();
    const float* es = embedded.data_ptr<float>();
    float* os = out.data_ptr<float>();
    const Shape shape{batch, dim, features};
    at::parallel_for(0, Blocks(batch), kGrainBlocks, [&](int64_t begin, int64_t end) {
      std::vector<float> scratch(features * dim * kLanes);
      ForwardBlocks(xs, es, shape, begin * kLanes, std::min(batch, end * kLanes), scratch.data(), os);
    });
    return out;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* context,
                                               torch::autograd::tensor_list outputs) {
    const torch::autograd::variable_list saved = context->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& embedded = saved[1];
    torch::Tensor grad = outputs[0].contiguous();
    torch::Tensor dx = torch::empty_like(x);
    torch::Tensor de = torch::empty_like(embedded);
    const int64_t batch = x.size(0), dim = x.size(1), features = embedded.size(1) + 1;
    const float* xs = x.data_ptr<float>();
    const float* es = embedded.data_ptr<float>();
    const float* gs = grad.data_ptr<float>();
    float* dxs = dx.data_ptr<float>();
    float* des = de.data_ptr<float>();
    const Shape shape{batch, dim, features};
    at::parallel_for(0, Blocks(batch), kGrainBlocks, [&](int64_t begin, int64_t end) {
      std::vector<float> scratch((features * dim + features * features) * kLanes);
      BackwardBlocks(xs, es, gs, shape, begin * kLanes, std::min(batch, end * kLanes), scratch.data(), dxs, des);
    });
    return {dx, de};
  }
};

}  // namespace

torch::Tensor DotInteraction(const torch::Tensor& x, const torch::Tensor& embedded) {
  return DotInteractionFunction::apply(x, embedded);
}

}  // namespace kiln::models
