// Bucketize: replaces numeric values with int32 bucket ids, from given
// boundaries or from quantiles fitted on the data.
//
// With boundaries b0 < b1 < ... < b(m-1), a value v gets the number of
// boundaries <= v: v < b0 is 0, b0 <= v < b1 is 1, ..., v >= b(m-1) is m.
// With `quantiles: N`, each column gets the N-1 cut points of
// QuantileSummary::Boundaries (repeats removed, so a column with few
// distinct values gets fewer buckets); they are exact below max_distinct
// distinct values per column and identical however the input is split.
// Nulls and NaN get null_id, or stay null without one.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct BucketizeOptions {
  ColumnSelection columns;             // Default: every numeric column.
  std::vector<double> boundaries;      // Given cut points, strictly increasing...
  int64_t quantiles = 0;               // ...or this many buckets fitted from the data (>= 1).
  int64_t max_distinct = 1 << 20;      // Quantile summary cells per column before coarsening.
  std::optional<int32_t> null_id;      // Id of nulls and NaN; absent: they stay null.
};

class Bucketize : public Operator {
 public:
  explicit Bucketize(BucketizeOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "bucketize"; }
  // Fails unless exactly one of boundaries and quantiles is given, or when
  // the boundaries are not strictly increasing.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  bool needs_fit() const override { return options_.quantiles > 0; }
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  Status Fit(const Accumulator& merged) override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  // The boundaries per column, "<prefix>.<column>".
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

  // Boundaries per column in inputs() order. For tests.
  const std::vector<std::vector<double>>& boundaries() const { return boundaries_; }

 private:
  BucketizeOptions options_;                      // As configured.
  std::vector<std::string> columns_;              // Resolved by Bind().
  std::vector<std::vector<double>> boundaries_;   // Per column: given, fitted or loaded.
};

}  // namespace kiln::prep
