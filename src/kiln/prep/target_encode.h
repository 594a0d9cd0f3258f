// TargetEncode: replaces a categorical key with the smoothed mean of one or
// more numeric targets among the rows that share it, without letting a row
// see its own target.
//
// Each row belongs to fold Mix64(HashCombine(seed, row_id)) % folds, from
// its global row id (row_id.h), so folds do not depend on batching, threads
// or ranks. The encoding of a key with target sum s over n rows is the
// m-estimate (s + m * prior) / (n + m), with m = smoothing and prior the
// target mean.
//   - In the run that fits, every row is encoded out of fold: s, n and the
//     prior come from the other folds' rows only.
//   - After LoadState() (`kiln prep apply`, serving), every row uses the
//     full-data statistics.
// Rows with a null target are left out of that target's statistics. Null
// keys are a key of their own. Keys are one column each, or (joint) all the
// columns together. Outputs are new float64 columns
// `<key>_<target>_te` (`<key>`: the key columns joined by "_").
// Counts are exact; sums are exact for integer targets (labels), so the
// result is then identical however the input was split.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/prep/operator.h"
#include "kiln/prep/row_keys.h"

namespace kiln::prep {

struct TargetEncodeOptions {
  std::vector<std::string> columns;  // Required: categorical key columns.
  bool joint = false;                // All columns form one key; else one key per column.
  std::vector<std::string> targets;  // Required: numeric target columns.
  int32_t folds = 5;                 // k, at least 2.
  double smoothing = 20;             // m, at least 0.
  uint64_t seed = 42;                // Of the fold assignment.
};

class TargetEncode : public Operator {
 public:
  explicit TargetEncode(TargetEncodeOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "target_encode"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  std::vector<std::string> outputs() const override { return output_names_; }
  bool needs_row_ids() const override { return true; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  Status Fit(const Accumulator& merged) override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  // Full-data statistics: per key group a table "<prefix>.<key>" (the key
  // columns, then "<target>.count" and "<target>.sum"), and per target
  // "<prefix>.<target>.count" / ".sum" over all rows.
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

  // The fold of the row with global id `row_id`.
  int32_t FoldOf(int64_t row_id) const;

 private:
  // Per target and fold (fold `folds` holds the total): count and sum.
  struct Sums {
    std::vector<double> values;  // [(target * (folds + 1) + fold) * 2 + {0: count, 1: sum}].
  };
  int slots() const { return static_cast<int>(options_.targets.size()) * (options_.folds + 1) * 2; }
  int Slot(size_t target, int fold) const { return (static_cast<int>(target) * (options_.folds + 1) + fold) * 2; }

  TargetEncodeOptions options_;                 // As configured.
  std::vector<std::vector<std::string>> keys_;  // Key groups: one column each, or all together.
  std::vector<std::vector<DataType>> key_types_;
  std::vector<std::string> output_names_;       // Per (key group, target), group-major.
  std::vector<RowKeyMap<std::vector<double>>> stats_;  // Per key group: key -> Sums layout.
  std::vector<double> totals_;                  // Over all rows, in the Sums layout.
  bool out_of_fold_ = false;                    // Fitted in this run (not loaded).

  friend class TargetAccumulator;
};

}  // namespace kiln::prep
