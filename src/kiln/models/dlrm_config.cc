#include "kiln/models/dlrm_config.h"

#include <charconv>

#include "kiln/prep/fitted_state.h"

namespace kiln::models {

Result<std::vector<int64_t>> ParseLayerSizes(const std::string& text, const std::string& key) {
  std::vector<int64_t> sizes;
  size_t start = 0;
  while (true) {
    const size_t end = std::min(text.find('-', start), text.size());
    int64_t width = 0;
    auto [last, error] = std::from_chars(text.data() + start, text.data() + end, width);
    if (error != std::errc() || last != text.data() + end || width < 1) {
      return Status::InvalidArgument("'" + key + "': expected layer widths like 13-512-256, not '" + text + "'");
    }
    sizes.push_back(width);
    if (end == text.size()) break;
    start = end + 1;
  }
  return sizes;
}

Result<Interaction> ParseInteraction(const std::string& text, const std::string& key) {
  if (text == "dot") return Interaction::kDot;
  if (text == "cat") return Interaction::kCat;
  return Status::InvalidArgument("'" + key + "': expected dot or cat, not '" + text + "'");
}

Status ValidateDlrmConfig(const DlrmConfig& config, int dense_width, int sparse_width) {
  if (config.embedding_dim < 1) return Status::InvalidArgument("'emb_dim': must be at least 1");
  if (config.bottom_mlp.size() < 2) return Status::InvalidArgument("'arch_mlp_bot': needs an input and an output width");
  if (config.bottom_mlp.front() != dense_width) {
    return Status::InvalidArgument("'arch_mlp_bot': the input width " + std::to_string(config.bottom_mlp.front()) +
                                   " differs from the " + std::to_string(dense_width) + " dense features");
  }
  if (config.interaction == Interaction::kDot && config.bottom_mlp.back() != config.embedding_dim) {
    return Status::InvalidArgument("'arch_mlp_bot': the output width " + std::to_string(config.bottom_mlp.back()) +
                                   " must equal 'emb_dim' (" + std::to_string(config.embedding_dim) +
                                   ") for dot interaction");
  }
  if (config.top_mlp.empty() || config.top_mlp.back() != 1) {
    return Status::InvalidArgument("'arch_mlp_top': the last width must be 1 (the logit)");
  }
  if (static_cast<int>(config.table_rows.size()) != sparse_width) {
    return Status::InvalidArgument("table sizes: " + std::to_string(config.table_rows.size()) + " tables for " +
                                   std::to_string(sparse_width) + " sparse features");
  }
  for (int64_t rows : config.table_rows) {
    if (rows < 1) return Status::InvalidArgument("table sizes: every table needs at least one row");
  }
  return Status::OK();
}

int64_t InteractionWidth(const DlrmConfig& config) {
  const int64_t features = static_cast<int64_t>(config.table_rows.size()) + 1;
  if (config.interaction == Interaction::kDot) return config.bottom_mlp.back() + features * (features - 1) / 2;
  return config.bottom_mlp.back() + (features - 1) * config.embedding_dim;
}

Result<std::vector<int64_t>> TableRowsFromPrepState(const std::string& state_directory,
                                                     const std::vector<std::string>& columns, int64_t table_cap) {
  auto state = prep::FittedStateReader::Open(state_directory);
  if (!state.ok()) return state.status();
  const std::vector<std::string> keys = state->Keys();
  std::vector<int64_t> rows;
  for (const std::string& column : columns) {
    const std::string suffix = "." + column + ".size";
    std::string found;
    for (const std::string& key : keys) {
      if (key.size() > suffix.size() && key.ends_with(suffix)) found = key;
    }
    if (found.empty()) {
      return Status::NotFound(state_directory + "/state.json: no dictionary size for sparse column '" + column + "'");
    }
    auto size = state->Number(found);
    if (!size.ok()) return size.status();
    int64_t table = static_cast<int64_t>(*size) + 1;  // Id 0 holds rare and missing values.
    if (table_cap > 0) table = std::min(table, table_cap);
    rows.push_back(table);
  }
  return rows;
}

}  // namespace kiln::models
