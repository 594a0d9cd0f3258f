// EpochPlan: which rows one rank reads in one epoch, in what order.
//
// The units are put in order (shuffled by (seed, epoch) or in file order)
// and their rows concatenated into one sequence of N rows. Every rank takes
// the same number of whole batches, `rows_per_rank`:
//   drop_last  floor(N / (world * batch)) batches: the last
//              N mod (world * batch) rows of the sequence are dropped;
//   pad        ceil(N / (world * batch)) batches: positions past N wrap
//              around to the start of the sequence and are marked padded.
// Rank r takes positions [r * rows_per_rank, (r + 1) * rows_per_rank), so no
// row is taken twice (padding aside), the ranks' union is the sequence minus
// fewer than world * batch rows, and fewer units than ranks is no problem:
// the split is by rows.
#pragma once

#include <cstdint>
#include <vector>

namespace kiln::data {

struct ShardOptions {
  int rank = 0;            // This process: 0 <= rank < world.
  int world = 1;           // Number of processes; >= 1.
  int64_t batch_size = 1;  // Rows per batch; >= 1.
  bool drop_last = true;   // false: pad (see above).
};

// A run of rows of one unit.
struct PlanSlice {
  int64_t unit = 0;     // Index into the source's units.
  int64_t begin = 0;    // First row within the unit.
  int64_t count = 0;    // Rows; >= 1.
  bool padded = false;  // A wrapped-around repeat, masked out.
};

struct EpochPlan {
  std::vector<PlanSlice> slices;  // This rank's rows, in reading order.
  int64_t batches = 0;            // Per rank, the same on every rank.
  int64_t rows = 0;               // batches * batch_size.
  int64_t padded_rows = 0;        // Rows of padded slices.
};

// The order of `unit_count` units in `epoch`: a seeded permutation, or
// 0, 1, 2, ... when `shuffle` is off.
std::vector<int64_t> UnitOrder(int64_t unit_count, bool shuffle, uint64_t seed, int64_t epoch);

// This rank's plan for units of `unit_rows` rows taken in `order`.
// REQUIRES: shard options valid (see ShardOptions); order is a permutation.
EpochPlan PlanEpoch(const std::vector<int64_t>& unit_rows, const std::vector<int64_t>& order,
                    const ShardOptions& shard);

}  // namespace kiln::data
