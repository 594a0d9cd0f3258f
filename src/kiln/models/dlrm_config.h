// DlrmConfig: the architecture of a DLRM model, checked before any work.
//
//   dense [B, 13] ─▶ bottom MLP (13-512-256-64-16, ReLU) ─▶ x [B, D]
//   ids   [B, 26] ─▶ one embedding table per sparse feature ─▶ e [B, 26, D]
//   interaction: dot  ─▶ [x, the 27·26/2 pairwise dots of (x, e_1..e_26)]
//                cat  ─▶ [x, e_1, ..., e_26]
//   ─▶ top MLP (…-512-256-1, ReLU between layers) ─▶ logit; sigmoid ─▶ p
//
// Table sizes come from the prep artifact (dictionary sizes + the id 0 of
// rare values), capped at `table_cap` rows: an id at or beyond a table's
// rows is hashed into it (TableRow), so huge vocabularies fit in memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/status.h"

namespace kiln::models {

enum class Interaction { kDot, kCat };

struct DlrmConfig {
  std::vector<int64_t> bottom_mlp = {13, 512, 256, 64, 16};  // Layer widths, input first.
  std::vector<int64_t> top_mlp = {512, 256, 1};              // Widths after the interaction; last is 1.
  int64_t embedding_dim = 16;                                // D.
  Interaction interaction = Interaction::kDot;               // How features meet.
  std::vector<int64_t> table_rows;                           // Rows per sparse feature (after the cap).
};

// "13-512-256-64-16" -> {13, 512, 256, 64, 16}. InvalidArgument naming `key`
// for an empty string, a non-number or a width < 1.
Result<std::vector<int64_t>> ParseLayerSizes(const std::string& text, const std::string& key);

// "dot" or "cat"; InvalidArgument naming `key` otherwise.
Result<Interaction> ParseInteraction(const std::string& text, const std::string& key);

// Checks the architecture against the data's widths: the bottom MLP's input
// must be `dense_width`, its output D for dot interaction, the top MLP must
// end in 1, there must be one table per sparse feature. Messages name the
// option key (arch_mlp_bot, arch_mlp_top, emb_dim).
Status ValidateDlrmConfig(const DlrmConfig& config, int dense_width, int sparse_width);

// Width of the interaction's output, the top MLP's input.
int64_t InteractionWidth(const DlrmConfig& config);

// Rows of each table for `columns`, from a prep state directory (the
// Categorify dictionary sizes "<step>.<column>.size", plus one for id 0),
// each capped at `table_cap` (0: no cap). NotFound naming the column when
// the state has no dictionary for it.
Result<std::vector<int64_t>> TableRowsFromPrepState(const std::string& state_directory,
                                                     const std::vector<std::string>& columns, int64_t table_cap);

// The row of a table of `rows` rows that id `id` uses: the id itself when it
// fits, else a hash of it (negative ids included).
inline int64_t TableRow(int64_t id, int64_t rows) {
  if (id >= 0 && id < rows) return id;
  uint64_t x = static_cast<uint64_t>(id) * 0x9E3779B97F4A7C15ull;  // Fibonacci hashing mixes the high bits down.
  x ^= x >> 31;
  return static_cast<int64_t>(x % static_cast<uint64_t>(rows));
}

}  // namespace kiln::models
