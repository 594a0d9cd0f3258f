#include "kiln/train/dlrm_step.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>

#include "kiln/core/cpu_info.h"
#include "kiln/core/logging.h"

namespace kiln::train {

void TorchParallelFor(int64_t count, const std::function<void(int64_t)>& body) {
  at::parallel_for(0, count, 1, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) body(i);
  });
}

Bf16Autocast::Bf16Autocast(bool enabled) : enabled_(enabled) {
  if (!enabled_) return;
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::set_cpu_enabled(true);
}

Bf16Autocast::~Bf16Autocast() {
  if (!enabled_) return;
  at::autocast::set_cpu_enabled(false);
  at::autocast::clear_cache();
}

void MapIdsToRows(const models::DlrmConfig& config, data::Batch* batch) {
  const int64_t width = batch->sparse_width;
  for (int64_t b = 0; b < batch->rows; ++b) {
    int64_t* ids = batch->sparse.data() + b * width;
    for (int64_t s = 0; s < width; ++s) ids[s] = models::TableRow(ids[s], config.table_rows[s]);
  }
}

torch::Tensor DenseTensor(data::Batch* batch, int64_t begin, int64_t count) {
  return torch::from_blob(batch->dense.data() + begin * batch->dense_width, {count, batch->dense_width},
                          torch::kFloat32);
}

std::vector<EmbeddingTable> TableViews(models::DlrmModule* module) {
  std::vector<EmbeddingTable> views;
  for (torch::Tensor& table : module->tables()) {
    EmbeddingTable view;
    view.weights = table.data_ptr<float>();
    view.rows = table.size(0);
    view.dim = table.size(1);
    views.push_back(view);
  }
  return views;
}

torch::Tensor Embed(const std::vector<EmbeddingTable>& tables, const data::Batch& batch, int64_t begin,
                    int64_t count) {
  const int64_t dim = tables.empty() ? 1 : tables[0].dim;
  torch::Tensor embedded = torch::empty({count, batch.sparse_width, dim}, torch::kFloat32);
  GatherEmbeddings(tables, batch.sparse.data() + begin * batch.sparse_width, count, embedded.data_ptr<float>(),
                   TorchParallelFor);
  return embedded;
}

std::vector<float> PredictRows(models::DlrmModule* module, const std::vector<EmbeddingTable>& tables,
                               data::Batch* batch, int64_t begin, int64_t count, bool bf16) {
  torch::NoGradGuard no_grad;
  torch::Tensor probabilities;
  {
    Bf16Autocast autocast(bf16);
    torch::Tensor logits = module->Forward(DenseTensor(batch, begin, count), Embed(tables, *batch, begin, count));
    probabilities = torch::sigmoid(logits.to(torch::kFloat32));
  }
  probabilities = probabilities.contiguous();
  const float* values = probabilities.data_ptr<float>();
  return std::vector<float>(values, values + probabilities.numel());
}

bool UseBf16(const std::string& precision, const std::string& doing) {
  if (precision != "bf16") return false;
  if (DetectCpu().has_bf16()) return true;
  LogWarn("--precision bf16: this CPU has neither AVX512-BF16 nor AMX-BF16 (" + DetectCpu().FeatureString() + "); " +
          doing + " in fp32 instead");
  return false;
}

Result<LoadedModel> LoadSavedModel(const std::string& directory) {
  auto info = ReadModelInfo(directory);
  if (!info.ok()) return info.status();
  LoadedModel model{*info, std::make_unique<models::DlrmModule>(info->config, 0)};
  auto weights = ReadCheckpoint(WeightsPath(directory));
  if (!weights.ok()) return weights.status();
  Status status = RestoreWeights(*weights, WeightsPath(directory), model.module.get());
  if (!status.ok()) return status;
  model.module->eval();
  return model;
}

std::vector<ArrayView> WeightViews(models::DlrmModule* module) {
  std::vector<ArrayView> views;
  for (auto& [name, tensor] : module->NamedWeights()) views.push_back({name, tensor.data_ptr<float>(), tensor.numel()});
  return views;
}

Status RestoreWeights(const CheckpointContents& contents, const std::string& path, models::DlrmModule* module) {
  torch::NoGradGuard no_grad;
  for (auto& [name, tensor] : module->NamedWeights()) {
    Status status = RestoreArray(contents, path, name, tensor.data_ptr<float>(), tensor.numel());
    if (!status.ok()) return status;
  }
  return Status::OK();
}

}  // namespace kiln::train
