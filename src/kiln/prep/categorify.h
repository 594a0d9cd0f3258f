// Categorify: replaces the values of categorical columns (string, int32,
// int64, uint32, uint64, and lists of those) with dense int32 ids learned
// from the data.
//
// Per dictionary, the values seen at least min_freq times are candidates;
// with max_size, only the max_size most frequent stay (count descending,
// then value ascending). They are ordered by frequency (count descending,
// value ascending) or by value, and numbered from max(null_id, oov_id) + 1.
// Nulls get null_id; values outside the dictionary (rare or unseen) get
// oov_id. Values compare as numbers for integer columns and bytewise for
// strings.
//
// Each column has its own dictionary, or with `joint` all the columns share
// one (user_id and friend_id: one id per user wherever it appears); joint
// columns must have the same value type. Multi-value columns (list<T>, or
// string with a `separator`, see multi_value.h) count and encode each value
// and become list<int32>; single-value columns become int32 without nulls.
//
// Memory: value_counter.h counts in memory or spills hash-partitioned runs
// past the budget, and merges them a partition at a time. The encoders hold
// the final dictionaries (after min_freq and max_size) in memory, as the
// dictionary table plus a value -> id map over its buffers; Fit() checks
// their estimated size against the budget and fails rather than exceed it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

enum class CategoryOrder { kFrequency, kValue };

struct CategorifyOptions {
  ColumnSelection columns;                       // Default: every string column.
  int64_t min_freq = 1;                          // Values seen fewer times are out of vocabulary.
  int64_t max_size = 0;                          // Most ids per column (beyond the fixed ones); 0: no limit.
  CategoryOrder order = CategoryOrder::kFrequency;
  int32_t null_id = 0;                           // Id of nulls.
  int32_t oov_id = 0;                            // Id of rare and unseen values.
  std::string separator;                         // Non-empty: string columns hold values joined by it.
  bool joint = false;                            // One dictionary shared by all the columns.
};

class ValueCounter;
class ValueEncoder;

class Categorify : public Operator {
 public:
  explicit Categorify(CategorifyOptions options);
  ~Categorify() override;

  const char* kind() const override { return "categorify"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  // Counters spill past budget.accumulator_bytes (split over the
  // dictionaries); Fit() fails when the dictionaries would need more than
  // budget.state_bytes.
  void SetMemoryBudget(const MemoryBudget& budget) override { budget_ = budget; }
  Status Fit(const Accumulator& merged) override;
  // Outputs are int32 without nulls, or list<int32> for multi-value columns.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  // One dictionary table per dictionary, "<prefix>.<its first column>" (value, count).
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

  // Ids per column in inputs() order: the size of its dictionary (excluding the fixed ids).
  std::vector<int64_t> dictionary_sizes() const;

 private:
  CategorifyOptions options_;                             // As configured.
  std::vector<std::string> columns_;                      // Resolved by Bind().
  std::vector<DataType> types_;                           // Input type of each column.
  std::vector<int> dictionary_of_;                        // Per column: index of its dictionary.
  std::vector<DataType> value_types_;                     // Per dictionary: type of its values.
  std::vector<std::string> dictionary_names_;             // Per dictionary: its first column.
  MemoryBudget budget_;                                   // Unbounded unless set.
  std::vector<std::unique_ptr<ValueEncoder>> encoders_;   // Per dictionary; set by Fit() or LoadState().
};

}  // namespace kiln::prep
