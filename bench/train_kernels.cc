// Kiln's hand-written training kernels against libtorch's generic paths, at
// the Kaggle shape (batch 2048, 26 tables, dimension 16), median
// milliseconds per step of each:
//  - the dot interaction (models/dot_interaction.h), forward and backward,
//    against cat + bmm + lower-triangle gather + cat (also in BF16, as
//    autocast ran it before the kernel);
//  - the embedding step (train/embedding_bag.h: lookup, coalesced row
//    gradients, fused SGD row update) against what the reference DLRM does:
//    torch::embedding per table with sparse gradients and torch::optim::SGD,
//    on tables of the Criteo Kaggle sizes capped at 500 k rows (as
//    ../shared/peers/dlrm_ref.sh) with uniform random rows.
// Usage: bench_train_kernels [--repeat N] [--threads N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

#include "kiln/core/cpu_info.h"
#include "kiln/core/thread_pool.h"
#include "kiln/models/dot_interaction.h"
#include "kiln/train/dlrm_step.h"
#include "kiln/train/embedding_bag.h"

namespace {

// What the model did before the kernel: the full [B, F, F] product, then its
// strict lower triangle by index.
torch::Tensor GenericInteraction(const torch::Tensor& x, const torch::Tensor& embedded) {
  const int64_t batch = x.size(0);
  torch::Tensor features = torch::cat({x.unsqueeze(1), embedded}, 1);
  torch::Tensor dots = torch::bmm(features, features.transpose(1, 2));
  const int64_t count = features.size(1);
  torch::Tensor pairs = torch::tril_indices(count, count, -1, torch::kLong);
  torch::Tensor lower = dots.reshape({batch, count * count}).index_select(1, pairs[0] * count + pairs[1]);
  return torch::cat({x, lower}, 1);
}

constexpr int64_t kBatch = 2048;
constexpr int64_t kDim = 16;
// Criteo Kaggle cardinalities, capped at 500 k rows as dlrm_ref.sh does.
const std::vector<int64_t> kTableRows = {1460, 583,   500000, 500000, 305, 24,     12517, 633, 3,
                                         93145, 5683, 500000, 3194,  27,  14992, 500000, 10,  5652,
                                         2173, 4,     500000, 18,    15,  286181, 105,   142572};

// Median milliseconds of `step` over `repeat` runs, after two warm-ups.
double MedianMilliseconds(const std::function<void()>& step, int repeat) {
  std::vector<double> times;
  for (int i = 0; i < repeat + 2; ++i) {
    const auto started = std::chrono::steady_clock::now();
    step();
    const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (i >= 2) times.push_back(elapsed);
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

using Interaction = std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

// One forward and backward of `interaction`.
double InteractionMilliseconds(const Interaction& interaction, torch::ScalarType type, int repeat) {
  torch::manual_seed(1);
  torch::Tensor x = torch::randn({kBatch, kDim}).to(type).requires_grad_(true);
  torch::Tensor embedded = torch::randn({kBatch, 26, kDim}).to(type).requires_grad_(true);
  torch::Tensor weights = torch::randn({kBatch, kDim + 27 * 26 / 2}).to(type);
  return MedianMilliseconds([&] { interaction(x, embedded).backward(weights); }, repeat);
}

// Random rows of every table for each step, [B, 26] row-major.
std::vector<int64_t> RandomRows(int64_t steps) {
  const int64_t width = static_cast<int64_t>(kTableRows.size());
  std::vector<int64_t> rows(steps * kBatch * width);
  torch::Tensor uniform = torch::rand({static_cast<int64_t>(rows.size())}, torch::kFloat64);
  const double* u = uniform.data_ptr<double>();
  for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int64_t>(u[i] * kTableRows[i % width]);
  return rows;
}

// Lookup, backward of a given output gradient, SGD on the touched rows.
double KilnEmbeddingMilliseconds(const std::vector<int64_t>& rows, const torch::Tensor& gradient, int repeat) {
  std::vector<torch::Tensor> tables;
  for (int64_t count : kTableRows) tables.push_back(torch::rand({count, kDim}));
  std::vector<kiln::train::EmbeddingTable> views;
  for (torch::Tensor& table : tables) views.push_back({table.data_ptr<float>(), nullptr, nullptr, table.size(0), kDim});
  const int64_t per_step = kBatch * static_cast<int64_t>(kTableRows.size());
  const int64_t steps = static_cast<int64_t>(rows.size()) / per_step;
  int64_t step = 0;
  torch::Tensor embedded = torch::empty({kBatch, static_cast<int64_t>(kTableRows.size()), kDim});
  return MedianMilliseconds([&] {
    const int64_t* batch = rows.data() + (step++ % steps) * per_step;
    kiln::train::GatherEmbeddings(views, batch, kBatch, embedded.data_ptr<float>(), kiln::train::TorchParallelFor);
    const auto sparse = kiln::train::CoalesceGradients(views, batch, kBatch, gradient.data_ptr<float>(),
                                                       kiln::train::TorchParallelFor);
    kiln::train::ApplySparseGradients(kiln::train::StepUpdate({kiln::train::OptimizerKind::kSgd}, 0.01f, step), 1.0f,
                                      sparse, &views, kiln::train::TorchParallelFor);
  }, repeat);
}

// The same through libtorch: embedding with sparse gradients, optim::SGD.
double TorchEmbeddingMilliseconds(const std::vector<int64_t>& rows, const torch::Tensor& gradient, int repeat) {
  std::vector<torch::Tensor> tables;
  for (int64_t count : kTableRows) tables.push_back(torch::rand({count, kDim}).requires_grad_(true));
  torch::optim::SGD optimizer(tables, torch::optim::SGDOptions(0.01));
  const int64_t width = static_cast<int64_t>(kTableRows.size());
  const int64_t steps = static_cast<int64_t>(rows.size()) / (kBatch * width);
  torch::Tensor all_rows = torch::from_blob(const_cast<int64_t*>(rows.data()), {steps, kBatch, width}, torch::kLong);
  int64_t step = 0;
  return MedianMilliseconds([&] {
    torch::Tensor batch = all_rows[step++ % steps];
    std::vector<torch::Tensor> looked_up;
    for (int64_t t = 0; t < width; ++t) {
      looked_up.push_back(torch::embedding(tables[t], batch.select(1, t), -1, false, /*sparse=*/true));
    }
    optimizer.zero_grad();
    torch::stack(looked_up, 1).backward(gradient);
    optimizer.step();
  }, repeat);
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 50;
  int threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--repeat") == 0) repeat = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
  }
  torch::set_num_threads(threads > 0 ? threads : kiln::DefaultThreadCount());  // As kiln train does.
  std::printf("cpu: %s; %d threads; batch 2048, 26 tables, dim 16\n",
              kiln::DetectCpu().FeatureString().c_str(), torch::get_num_threads());
  const double kernel = InteractionMilliseconds(kiln::models::DotInteraction, torch::kFloat32, repeat);
  const double generic = InteractionMilliseconds(GenericInteraction, torch::kFloat32, repeat);
  const double generic_bf16 = InteractionMilliseconds(GenericInteraction, torch::kBFloat16, repeat);
  std::printf("dot interaction, hand-written fp32: %.3f ms\n", kernel);
  std::printf("dot interaction, libtorch fp32: %.3f ms (%.2fx the kernel's time)\n", generic, generic / kernel);
  std::printf("dot interaction, libtorch bf16: %.3f ms (%.2fx the kernel's time)\n", generic_bf16,
              generic_bf16 / kernel);

  const std::vector<int64_t> rows = RandomRows(16);
  const torch::Tensor gradient = torch::randn({kBatch, static_cast<int64_t>(kTableRows.size()), kDim});
  const double kiln_embedding = KilnEmbeddingMilliseconds(rows, gradient, repeat);
  const double torch_embedding = TorchEmbeddingMilliseconds(rows, gradient, repeat);
  std::printf("embedding lookup + backward + SGD, hand-written: %.3f ms\n", kiln_embedding);
  std::printf("embedding lookup + backward + SGD, libtorch sparse: %.3f ms (%.2fx the kernel's time)\n",
              torch_embedding, torch_embedding / kiln_embedding);
  return 0;
}
