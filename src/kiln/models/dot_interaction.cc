#include "kiln/models/dot_interaction.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <vector>

namespace kiln::models {

namespace {

// The kernels work on blocks of kLanes examples in a [feature][dim][lane]
// layout, so every multiply-add is a full vector across examples: no
// remainder loops over short pair rows, and no sum is reordered. Lanes is a
// GCC/Clang vector type, which keeps the accumulators in registers; the
// clones compile it as AVX-512, AVX2 or SSE and pick one at load time from
// the CPU's flags, while the build itself assumes only baseline x86-64.
// Lanes live in float buffers: the type asks for no more than float
// alignment and may alias floats.
constexpr int64_t kLanes = 16;
typedef float Lanes __attribute__((vector_size(kLanes * sizeof(float)), aligned(alignof(float)), may_alias));

// Shapes of one call.
struct Shape {
  int64_t batch;     // Examples.
  int64_t dim;       // D.
  int64_t features;  // F = tables + 1.
  int64_t width() const { return dim + features * (features - 1) / 2; }
};

// blocked[f·dim + d][l] = feature f, element d of example first+l; zero for
// lanes past the batch.
// Inlined into each clone, so that it too runs with the clone's vectors.
__attribute__((always_inline)) inline void LoadBlock(const float* x, const float* e, const Shape& shape, int64_t first,
                                                     Lanes* blocked) {
  const int64_t lanes = std::min(kLanes, shape.batch - first);
  const int64_t tables = shape.features - 1;
  std::fill(blocked, blocked + shape.features * shape.dim, Lanes{});
  for (int64_t l = 0; l < lanes; ++l) {
    const int64_t b = first + l;
    for (int64_t d = 0; d < shape.dim; ++d) blocked[d][l] = x[b * shape.dim + d];
    for (int64_t t = 0; t < tables; ++t) {
      const float* row = e + (b * tables + t) * shape.dim;
      Lanes* target = blocked + (t + 1) * shape.dim;
      for (int64_t d = 0; d < shape.dim; ++d) target[d][l] = row[d];
    }
  }
}

// Pair (i, j) sums f_i[d]·f_j[d] in d order, four pairs at a time: four
// independent chains, where one would wait on each multiply-add's latency.
// blocks: features·dim Lanes per block of the batch, filled here and kept
// for the backward.
__attribute__((target_clones("avx512f", "avx2", "default")))
void ForwardBlocks(const float* x, const float* e, const Shape& shape, int64_t begin, int64_t end, Lanes* blocks,
                   float* out) {
  const int64_t width = shape.width(), dim = shape.dim;
  for (int64_t first = begin; first < end; first += kLanes) {
    Lanes* scratch = blocks + first / kLanes * shape.features * dim;
    LoadBlock(x, e, shape, first, scratch);
    const int64_t lanes = std::min(kLanes, shape.batch - first);
    for (int64_t l = 0; l < lanes; ++l) {
      std::copy(x + (first + l) * dim, x + (first + l + 1) * dim, out + (first + l) * width);
    }
    int64_t column = dim;
    for (int64_t i = 1; i < shape.features; ++i) {
      const Lanes* fi = scratch + i * dim;
      for (int64_t j = 0; j < i; j += 4) {
        // Chains past the last pair multiply f_i by itself and are dropped.
        const Lanes* f0 = scratch + j * dim;
        const Lanes* f1 = scratch + std::min(j + 1, i) * dim;
        const Lanes* f2 = scratch + std::min(j + 2, i) * dim;
        const Lanes* f3 = scratch + std::min(j + 3, i) * dim;
        Lanes sums[4] = {};
        for (int64_t d = 0; d < dim; ++d) {
          sums[0] += fi[d] * f0[d];
          sums[1] += fi[d] * f1[d];
          sums[2] += fi[d] * f2[d];
          sums[3] += fi[d] * f3[d];
        }
        for (int64_t c = 0; c < std::min<int64_t>(4, i - j); ++c, ++column) {
          for (int64_t l = 0; l < lanes; ++l) out[(first + l) * width + column] = sums[c][l];
        }
      }
    }
  }
}

// df_i = sum_{j != i} g_ij·f_j, g_ij the gradient of pair (max, min), four
// dimensions at a time. blocks: ForwardBlocks'. scratch: width Lanes for
// the output gradient, features·dim for the feature gradients.
__attribute__((target_clones("avx512f", "avx2", "default")))
void BackwardBlocks(const Lanes* blocks, const float* grad, const Shape& shape, int64_t begin, int64_t end,
                    Lanes* scratch, float* dx, float* de) {
  const int64_t width = shape.width(), dim = shape.dim, features = shape.features, tables = features - 1;
  Lanes* gradient = scratch;           // [width]
  Lanes* results = gradient + width;   // [features·dim]
  for (int64_t first = begin; first < end; first += kLanes) {
    const Lanes* values = blocks + first / kLanes * features * dim;
    const int64_t lanes = std::min(kLanes, shape.batch - first);
    std::fill(gradient, gradient + width, Lanes{});
    for (int64_t l = 0; l < lanes; ++l) {
      const float* row = grad + (first + l) * width;
      for (int64_t c = 0; c < width; ++c) gradient[c][l] = row[c];
    }
    for (int64_t i = 0; i < features; ++i) {
      for (int64_t d = 0; d < dim; d += 4) {
        // Dimensions past the last one repeat it and are dropped.
        const int64_t d1 = std::min(d + 1, dim - 1), d2 = std::min(d + 2, dim - 1), d3 = std::min(d + 3, dim - 1);
        Lanes sums[4] = {};
        for (int64_t j = 0; j < features; ++j) {
          if (j == i) continue;
          const Lanes g = gradient[dim + std::max(i, j) * (std::max(i, j) - 1) / 2 + std::min(i, j)];
          const Lanes* fj = values + j * dim;
          sums[0] += g * fj[d];
          sums[1] += g * fj[d1];
          sums[2] += g * fj[d2];
          sums[3] += g * fj[d3];
        }
        for (int64_t c = 0; c < 4 && d + c < dim; ++c) results[i * dim + d + c] = sums[c];
      }
    }
    for (int64_t l = 0; l < lanes; ++l) {
      const int64_t b = first + l;
      for (int64_t d = 0; d < dim; ++d) dx[b * dim + d] = grad[b * width + d] + results[d][l];
      for (int64_t t = 0; t < tables; ++t) {
        float* row = de + (b * tables + t) * dim;
        const Lanes* source = results + (t + 1) * dim;
        for (int64_t d = 0; d < dim; ++d) row[d] = source[d][l];
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
    const int64_t batch = x.size(0), dim = x.size(1), features = embedded.size(1) + 1;
    const Shape shape{batch, dim, features};
    torch::Tensor out = torch::empty({batch, shape.width()}, x.options());
    // The features in the kernels' layout, for the backward to reuse.
    torch::Tensor blocks = torch::empty({Blocks(batch) * features * dim * kLanes}, x.options());
    const float* xs = x.data_ptr<float>();
    const float* es = embedded.data_ptr<float>();
    float* os = out.data_ptr<float>();
    Lanes* bs = reinterpret_cast<Lanes*>(blocks.data_ptr<float>());
    at::parallel_for(0, Blocks(batch), kGrainBlocks, [&](int64_t begin, int64_t end) {
      ForwardBlocks(xs, es, shape, begin * kLanes, std::min(batch, end * kLanes), bs, os);
    });
    context->save_for_backward({blocks});
    context->saved_data["batch"] = batch;
    context->saved_data["dim"] = dim;
    context->saved_data["features"] = features;
    return out;
  }

  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* context,
                                               torch::autograd::tensor_list outputs) {
    const torch::Tensor blocks = context->get_saved_variables()[0];
    const Shape shape{context->saved_data["batch"].toInt(), context->saved_data["dim"].toInt(),
                      context->saved_data["features"].toInt()};
    const int64_t batch = shape.batch, dim = shape.dim, features = shape.features;
    torch::Tensor grad = outputs[0].contiguous();
    torch::Tensor dx = torch::empty({batch, dim}, grad.options());
    torch::Tensor de = torch::empty({batch, features - 1, dim}, grad.options());
    const Lanes* bs = reinterpret_cast<const Lanes*>(blocks.data_ptr<float>());
    const float* gs = grad.data_ptr<float>();
    float* dxs = dx.data_ptr<float>();
    float* des = de.data_ptr<float>();
    at::parallel_for(0, Blocks(batch), kGrainBlocks, [&](int64_t begin, int64_t end) {
      std::vector<float> scratch((features * dim + shape.width()) * kLanes);
      BackwardBlocks(bs, gs, shape, begin * kLanes, std::min(batch, end * kLanes),
                     reinterpret_cast<Lanes*>(scratch.data()), dxs, des);
    });
    return {dx, de};
  }
};

}  // namespace

torch::Tensor DotInteraction(const torch::Tensor& x, const torch::Tensor& embedded) {
  return DotInteractionFunction::apply(x, embedded);
}

}  // namespace kiln::models
