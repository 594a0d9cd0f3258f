// QuantileSummary: an exactly mergeable summary of a numeric column from
// which quantiles are read, identical however the data was split into
// batches, threads or ranks.
//
// It counts values exactly, keyed by an order-preserving 64-bit integer
// form of each double (sign flipped for positives, all bits flipped for
// negatives). When more than max_distinct keys are held, every key is
// coarsened by dropping low bits: the shift doubles (0, 1, 2, 4, ... 64)
// until the count fits. Each cell keeps its count and the smallest value in
// it, so quantiles are exact data values: exact below the cap, deterministic
// above it. Merging first coarsens both sides to the larger shift; since
// coarsening commutes with adding counts, any merge order gives the same
// cells.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/prep/byte_codec.h"
#include "kiln/prep/open_hash_map.h"

namespace kiln::prep {

class QuantileSummary {
 public:
  // REQUIRES: max_distinct >= 1.
  explicit QuantileSummary(int64_t max_distinct) : max_distinct_(max_distinct) {}

  // NaN is skipped.
  void Add(double value);
  void Merge(const QuantileSummary& other);
  void Serialize(std::string* out) const;
  // Adds what Serialize() wrote; false on malformed bytes.
  bool MergeSerialized(ByteReader* reader);

  int64_t count() const { return count_; }  // Values added.
  int shift() const { return shift_; }      // Low key bits dropped.
  int64_t cells() const { return cells_.size(); }

  // Strictly increasing cut points for `buckets` equal-count buckets: for
  // i = 1 .. buckets-1, the value at 0-based rank floor(i * count / buckets)
  // in sorted order (the smallest value of its cell above the cap), with
  // repeats removed. Empty when there are no values. REQUIRES: buckets >= 1.
  std::vector<double> Boundaries(int64_t buckets) const;

 private:
  struct Cell {
    int64_t count = 0;                // Values in the cell.
    uint64_t min_key = UINT64_MAX;    // Order key of the smallest one.
  };
  void AddCell(uint64_t cell, const Cell& value);
  // Raises the shift to at least `shift`, merging cells.
  void CoarsenTo(int shift);
  // Doubles the shift until the cells fit under max_distinct.
  void FitUnderCap();

  int64_t max_distinct_;                 // Cap on cells before coarsening.
  int shift_ = 0;                        // Cell = order key >> shift_ (64: one cell).
  int64_t count_ = 0;                    // Values added.
  OpenHashMap<uint64_t, Cell> cells_;    // Cell key -> count and smallest value.
};

}  // namespace kiln::prep
