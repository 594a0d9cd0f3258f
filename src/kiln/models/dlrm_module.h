// DlrmModule: the DLRM network as a libtorch module (see dlrm_config.h for
// the architecture). Only train code includes this header: it is the one
// place in models that exposes torch types.
//
// The embedding tables are plain float tensors, not autograd parameters:
// the trainer looks rows up and updates only the touched rows itself
// (train/embedding_bag.h), so untouched rows cost nothing. Forward() takes
// the looked-up rows as a [B, S, D] tensor and returns logits [B].
#pragma once

#include <torch/torch.h>

#include <vector>

#include "kiln/models/dlrm_config.h"

namespace kiln::models {

// x [B, D] and e [B, S, D] -> dot: [B, D + (S+1)S/2] (x, then the pairwise
// dot products of (x, e_1..e_S) over i > j, row-major); cat: [B, D + S·D].
// The result has x's type (BF16 under autocast); e may be float32 either way.
torch::Tensor Interact(const torch::Tensor& x, const torch::Tensor& embedded, Interaction interaction);

class DlrmModule : public torch::nn::Module {
 public:
  // Initialises as the reference DLRM does: Linear weights ~ N(0, 2/(in+out)),
  // biases ~ N(0, 1/out), table rows ~ U(±1/sqrt(rows)), from `seed` only.
  // REQUIRES: ValidateDlrmConfig(config, ...) passed.
  DlrmModule(const DlrmConfig& config, uint64_t seed);

  // Logits [B] for dense [B, bottom_mlp[0]] and embedded rows [B, S, D].
  torch::Tensor Forward(const torch::Tensor& dense, const torch::Tensor& embedded);

  const DlrmConfig& config() const { return config_; }
  // One [rows, D] float tensor per sparse feature.
  std::vector<torch::Tensor>& tables() { return tables_; }
  // Every weight with a stable name ("bottom.0.weight", ..., "table.0", ...):
  // what checkpoints and saved models hold.
  std::vector<std::pair<std::string, torch::Tensor>> NamedWeights();

 private:
  DlrmConfig config_;                  // The architecture.
  torch::nn::Sequential bottom_{nullptr};  // Bottom MLP, ReLU after every layer.
  torch::nn::Sequential top_{nullptr};     // Top MLP, ReLU between layers, none after the logit.
  std::vector<torch::Tensor> tables_;  // Embedding tables.
};

}  // namespace kiln::models
