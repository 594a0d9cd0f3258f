#include "kiln/models/dlrm_module.h"

#include <cmath>

#include "kiln/models/dot_interaction.h"

namespace kiln::models {

namespace {

// Layers widths[0] -> widths[1] -> ...; ReLU after each layer, except after
// the last when `last_linear`.
torch::nn::Sequential MakeMlp(const std::vector<int64_t>& widths, bool last_linear) {
  torch::nn::Sequential mlp;
  for (size_t i = 0; i + 1 < widths.size(); ++i) {
    torch::nn::Linear layer(widths[i], widths[i + 1]);
    torch::NoGradGuard no_grad;
    layer->weight.normal_(0, std::sqrt(2.0 / static_cast<double>(widths[i] + widths[i + 1])));
    layer->bias.normal_(0, std::sqrt(1.0 / static_cast<double>(widths[i + 1])));
    mlp->push_back(layer);
    if (!(last_linear && i + 2 == widths.size())) mlp->push_back(torch::nn::ReLU());
  }
  return mlp;
}

}  // namespace

torch::Tensor Interact(const torch::Tensor& x, const torch::Tensor& embedded, Interaction interaction) {
  const int64_t batch = x.size(0);
  if (interaction == Interaction::kCat) return torch::cat({x, embedded.reshape({batch, -1}).to(x.scalar_type())}, 1);
  // In float32 under BF16 autocast too: the pairs are cheap next to the MLPs.
  return DotInteraction(x.to(torch::kFloat32), embedded.to(torch::kFloat32)).to(x.scalar_type());
}

DlrmModule::DlrmModule(const DlrmConfig& config, uint64_t seed) : config_(config) {
  torch::manual_seed(seed);
  bottom_ = register_module("bottom", MakeMlp(config.bottom_mlp, false));
  std::vector<int64_t> top = {InteractionWidth(config)};
  top.insert(top.end(), config.top_mlp.begin(), config.top_mlp.end());
  top_ = register_module("top", MakeMlp(top, true));
  for (int64_t rows : config.table_rows) {
    const double bound = std::sqrt(1.0 / static_cast<double>(rows));
    tables_.push_back(torch::empty({rows, config.embedding_dim}, torch::kFloat32).uniform_(-bound, bound));
  }
}

torch::Tensor DlrmModule::Forward(const torch::Tensor& dense, const torch::Tensor& embedded) {
  torch::Tensor x = bottom_->forward(dense);
  // The float32 rows go in as they are: under BF16 autocast a round trip
  // through BF16 would cost four casts of [B, S, D] and their precision.
  torch::Tensor interaction = Interact(x, embedded, config_.interaction);
  return top_->forward(interaction).reshape({-1});
}

std::vector<std::pair<std::string, torch::Tensor>> DlrmModule::NamedWeights() {
  std::vector<std::pair<std::string, torch::Tensor>> weights;
  for (const auto& parameter : named_parameters()) weights.emplace_back(parameter.key(), parameter.value());
  for (size_t i = 0; i < tables_.size(); ++i) weights.emplace_back("table." + std::to_string(i), tables_[i]);
  return weights;
}

}  // namespace kiln::models
