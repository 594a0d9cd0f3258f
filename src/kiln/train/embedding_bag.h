// Hand-written embedding lookups and their fused backward + optimizer step,
// on plain float arrays (no torch): libtorch's generic path would build a
// dense gradient for every table (or a sparse tensor to coalesce), while
// here a step costs in proportion to the rows the batch touched.
//
//   Gather:    out[b, s, :] = table_s[row[b, s], :]
//   Coalesce:  per table, the distinct rows touched and the sum of their
//              gradient rows (the exchange unit between MPI ranks, too)
//   Apply:     the optimizer (row_optimizer.h) on each touched row only
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/train/row_optimizer.h"

namespace kiln::train {

// Runs body(i) for every i in [0, count), in parallel, returning when all
// are done. Empty: kiln's ThreadPool::Default(). The trainer passes
// libtorch's OpenMP pool so that lookups and updates run on the threads
// that run the MLPs; a second pool beside it would compete with OpenMP
// threads spin-waiting for their next region.
using ParallelRunner = std::function<void(int64_t count, const std::function<void(int64_t)>& body)>;

// Rows [begin, end) of item `item` (a table, a weight): a unit of parallel work.
struct WorkPiece {
  size_t item = 0;
  int64_t begin = 0;
  int64_t end = 0;
};

// Each item of `sizes` cut into pieces of at most `piece_size`, in order, so
// that threads share big items evenly.
std::vector<WorkPiece> SplitIntoPieces(const std::vector<int64_t>& sizes, int64_t piece_size);

// One embedding table and its optimizer state, owned elsewhere.
struct EmbeddingTable {
  float* weights = nullptr;  // [rows, dim]
  float* first = nullptr;    // [rows, dim] optimizer state, or null when unused.
  float* second = nullptr;   // [rows, dim] optimizer state, or null when unused.
  int64_t rows = 0;
  int64_t dim = 0;
};

// The gradient of one table for one step: distinct rows and their summed
// gradient rows.
struct SparseGradient {
  std::vector<int64_t> rows;   // Distinct row indices (Coalesce: first-touch order; Merge: ascending).
  std::vector<float> values;   // [rows.size(), dim]
};

// out[b, s, :] = tables[s] row rows[b * S + s], for b < batch, s < S.
// REQUIRES: every row index is within its table; out holds batch·S·dim floats.
void GatherEmbeddings(const std::vector<EmbeddingTable>& tables, const int64_t* rows, int64_t batch, float* out,
                      const ParallelRunner& parallel = {});

// Sums gradient[b, s, :] by (s, rows[b * S + s]) into one SparseGradient per
// table, rows in the order the batch first touches them, each sum in example
// order; in parallel over tables.
std::vector<SparseGradient> CoalesceGradients(const std::vector<EmbeddingTable>& tables, const int64_t* rows,
                                              int64_t batch, const float* gradient,
                                              const ParallelRunner& parallel = {});

// Sum over ranks: merges gradients of the same table given by several ranks.
SparseGradient MergeSparseGradients(const std::vector<const SparseGradient*>& parts, int64_t dim);

// Serialized form for the MPI exchange, and back. Decode fails on a size
// that does not add up (names `what`).
std::string EncodeSparseGradients(const std::vector<SparseGradient>& gradients);
Result<std::vector<SparseGradient>> DecodeSparseGradients(const std::string& bytes, int64_t tables, int64_t dim,
                                                          const std::string& what);

// Sum of squares of every value (for gradient clipping by global norm).
double SquaredNorm(const std::vector<SparseGradient>& gradients);

// Applies the step's update to each touched row of each table, gradients
// first multiplied by `scale` (clipping); in parallel over pieces of tables.
void ApplySparseGradients(const StepUpdate& update, float scale, const std::vector<SparseGradient>& gradients,
                          std::vector<EmbeddingTable>* tables, const ParallelRunner& parallel = {});

}  // namespace kiln::train
