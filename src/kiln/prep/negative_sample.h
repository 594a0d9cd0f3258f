// NegativeSample: after each positive row (label == positive_value), adds
// `negatives` rows that copy it but carry label 0 and another item, drawn
// from the item pool with the item's attribute columns looked up there.
// Positive and other rows are kept as they are.
//
// The pool is the distinct non-null items of the fitted data, each with the
// attributes of its first row (smallest row id) and its count. Draws are
// uniform over the pool, or proportional to the counts (`popularity`). The
// j-th negative of the row with id r, attempt a, uses the hash
// HashCombine(HashCombine(HashCombine(seed, r), j), a), so the output does
// not depend on how the input was split. A draw equal to the positive's own
// item is drawn again, up to max_resample times; if every attempt collides
// (a pool with one item) the negative is left out.
//
// Negative rows keep the positive's row id (row_id.h): operators after this
// one that use row ids (folds, splits) keep a positive and its negatives
// together.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/prep/operator.h"

namespace kiln::prep {

struct NegativeSampleOptions {
  std::string label = "label";            // Numeric label column.
  double positive_value = 1;              // Rows with this label get negatives.
  std::string item = "item";              // The item key column (integers or strings).
  std::vector<std::string> item_columns;  // Attribute columns taken from the pool with the item.
  int32_t negatives = 4;                  // k, per positive.
  bool popularity = false;                // Draw by count instead of uniformly.
  uint64_t seed = 42;                     // Of the draws.
  int32_t max_resample = 10;              // Extra draws when the positive's own item comes up.
};

class NegativeSample : public Operator {
 public:
  explicit NegativeSample(NegativeSampleOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "negative_sample"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  std::vector<std::string> outputs() const override;
  bool needs_row_ids() const override { return true; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  Status Fit(const Accumulator& merged) override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  // The pool as one table "<prefix>.pool": the item, its attributes, "__count".
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

  int64_t pool_size() const { return pool_ ? pool_->num_rows() : 0; }

 private:
  // Sets pool_ and the lookup structures from a pool batch in key order.
  Status UsePool(RecordBatchPtr pool);
  // The pool row of negative `draw` for the row with id `row_id` and item
  // key `own`, or -1 when every attempt hit `own`.
  int64_t Draw(int64_t row_id, int32_t draw, const std::string& own) const;

  NegativeSampleOptions options_;          // As configured.
  std::vector<std::string> pool_columns_;  // The item, then its attributes.
  std::vector<DataType> pool_types_;       // Their types.
  RecordBatchPtr pool_;                    // Pool columns + "__count", in item key order.
  std::vector<std::string> pool_keys_;     // Item key of each pool row.
  std::vector<int64_t> cumulative_;        // Running sum of the counts, for popularity draws.
};

}  // namespace kiln::prep
