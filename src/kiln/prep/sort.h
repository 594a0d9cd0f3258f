// Sort and Shuffle: the barrier steps (barrier_operator.h) that reorder the
// whole stream, out of core: rows are buffered up to memory_limit bytes,
// sorted and spilled as runs, then merged (external_sorter.h).
//
// Sort orders by key columns, each ascending or descending, nulls last in
// both directions; it is stable (ties keep their input order). Shuffle
// orders by hash(seed, position), a random permutation that depends only on
// the seed and the input order, never on batching or threads.
#pragma once

#include <cstdint>
#include <vector>

#include "kiln/prep/barrier_operator.h"

namespace kiln::prep {

inline constexpr int64_t kDefaultSortMemory = int64_t{256} << 20;

struct SortOptions {
  std::vector<SortKey> keys;                  // At least one; bool, numbers, strings, dates, timestamps.
  int64_t memory_limit = kDefaultSortMemory;  // Bytes buffered per run.
};

class Sort : public BarrierOperator {
 public:
  explicit Sort(SortOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "sort"; }
  // Fails without keys, on an unknown key column or one of a type that
  // cannot be ordered (lists, decimals).
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  Status AppendOrderKeys(const RecordBatch& batch, int64_t first_position, ColumnBuilder* keys) const override;
  int64_t memory_limit() const override { return options_.memory_limit; }
  std::vector<SortKey> sort_keys() const override { return options_.keys; }

 private:
  SortOptions options_;  // As configured.
};

struct ShuffleOptions {
  uint64_t seed = 0;                          // Same seed and input order: same output order.
  int64_t memory_limit = kDefaultSortMemory;  // Bytes buffered per run.
};

class Shuffle : public BarrierOperator {
 public:
  explicit Shuffle(ShuffleOptions options) : options_(options) {}

  const char* kind() const override { return "shuffle"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override { return input; }
  std::vector<std::string> inputs() const override { return {}; }
  Status AppendOrderKeys(const RecordBatch& batch, int64_t first_position, ColumnBuilder* keys) const override;
  int64_t memory_limit() const override { return options_.memory_limit; }

 private:
  ShuffleOptions options_;  // As configured.
};

}  // namespace kiln::prep
