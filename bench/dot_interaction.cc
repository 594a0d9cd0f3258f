// The hand-written DLRM dot interaction (models/dot_interaction.h) against
// libtorch's generic path (cat + bmm + lower-triangle gather + cat), forward
// and backward, at the Kaggle shape: batch 2048, 26 tables, dimension 16.
// The generic path also runs in BF16, as autocast ran it before the kernel.
// Prints the median milliseconds per forward+backward of each.
// Usage: bench_dot_interaction [--repeat N] [--threads N]
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

using Interaction = std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

// Median milliseconds of one forward and backward over `repeat` runs.
double MedianMilliseconds(const Interaction& interaction, torch::ScalarType type, int repeat) {
  torch::manual_seed(1);
  torch::Tensor x = torch::randn({2048, 16}).to(type).requires_grad_(true);
  torch::Tensor embedded = torch::randn({2048, 26, 16}).to(type).requires_grad_(true);
  torch::Tensor weights = torch::randn({2048, 16 + 27 * 26 / 2}).to(type);
  std::vector<double> times;
  for (int i = 0; i < repeat + 2; ++i) {  // The first two warm up.
    const auto started = std::chrono::steady_clock::now();
    interaction(x, embedded).backward(weights);
    const double elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (i >= 2) times.push_back(elapsed);
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
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
  std::printf("cpu: %s; %d threads; batch 2048, 26 tables, dim 16, forward+backward\n",
              kiln::DetectCpu().FeatureString().c_str(), torch::get_num_threads());
  const double kernel = MedianMilliseconds(kiln::models::DotInteraction, torch::kFloat32, repeat);
  const double generic = MedianMilliseconds(GenericInteraction, torch::kFloat32, repeat);
  const double generic_bf16 = MedianMilliseconds(GenericInteraction, torch::kBFloat16, repeat);
  std::printf("hand-written fp32: %.3f ms\n", kernel);
  std::printf("libtorch generic fp32: %.3f ms (%.2fx the kernel's time)\n", generic, generic / kernel);
  std::printf("libtorch generic bf16: %.3f ms (%.2fx the kernel's time)\n", generic_bf16, generic_bf16 / kernel);
  return 0;
}
