// The torch side of one DLRM batch, shared by the trainer and predictor:
// Batch buffers wrapped as tensors without copying, ids mapped to table
// rows, the hand-written embedding lookup, and the forward pass under
// optional BF16 autocast. Internal to kiln_train (exposes torch types).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "kiln/data/batch.h"
#include "kiln/models/dlrm_module.h"
#include "kiln/train/checkpoint_file.h"
#include "kiln/train/embedding_bag.h"
#include "kiln/train/saved_model.h"

namespace kiln::train {

// Runs parallel loops on libtorch's intra-op (OpenMP) threads.
void TorchParallelFor(int64_t count, const std::function<void(int64_t)>& body);

// Turns on CPU autocast to BF16 for its lifetime when `enabled`.
class Bf16Autocast {
 public:
  explicit Bf16Autocast(bool enabled);
  ~Bf16Autocast();
  Bf16Autocast(const Bf16Autocast&) = delete;
  Bf16Autocast& operator=(const Bf16Autocast&) = delete;

 private:
  bool enabled_;  // Whether this guard turned autocast on.
};

// Replaces each id of batch->sparse with the row of its table it uses
// (models::TableRow: hashed beyond the table's rows).
void MapIdsToRows(const models::DlrmConfig& config, data::Batch* batch);

// Rows [begin, begin + count) of batch.dense as a [count, D] tensor sharing
// the Batch's memory. REQUIRES: *batch outlives the tensor.
torch::Tensor DenseTensor(data::Batch* batch, int64_t begin, int64_t count);

// The module's tables as EmbeddingTables (no optimizer state).
std::vector<EmbeddingTable> TableViews(models::DlrmModule* module);

// The embedded rows [count, S, D] of rows [begin, begin + count) of a batch
// whose ids MapIdsToRows() mapped.
torch::Tensor Embed(const std::vector<EmbeddingTable>& tables, const data::Batch& batch, int64_t begin,
                    int64_t count);

// Probabilities for rows [begin, begin + count) of a mapped batch, without
// gradients.
std::vector<float> PredictRows(models::DlrmModule* module, const std::vector<EmbeddingTable>& tables,
                               data::Batch* batch, int64_t begin, int64_t count, bool bf16);

// Whether to run in BF16 for `precision` ("fp32" or "bf16"): false, with a
// notice naming what falls back (`doing`: "training", ...), when the CPU
// has neither AVX512-BF16 nor AMX-BF16.
bool UseBf16(const std::string& precision, const std::string& doing);

// A saved model (saved_model.h) with its weights restored, in eval mode.
struct LoadedModel {
  SavedModelInfo info;                            // model.json.
  std::unique_ptr<models::DlrmModule> module;     // The network.
};
Result<LoadedModel> LoadSavedModel(const std::string& directory);

// Views of every weight for WriteCheckpoint, and the way back.
std::vector<ArrayView> WeightViews(models::DlrmModule* module);
Status RestoreWeights(const CheckpointContents& contents, const std::string& path, models::DlrmModule* module);

}  // namespace kiln::train
