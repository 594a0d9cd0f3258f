// Normalize: rescales numeric columns with statistics fitted on the data,
// either standard ((v - mean) / std, population std) or min-max
// ((v - min) / (max - min)).
#pragma once

#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

enum class NormalizeMethod { kStandard, kMinMax };

struct NormalizeOptions {
  ColumnSelection columns;                          // Default: every numeric column.
  NormalizeMethod method = NormalizeMethod::kStandard;
  DataType type = DataType::Float32();              // Output type: float32 or float64.
};

// Mergeable moments of one column: count, mean, sum of squared deviations
// (Chan et al.'s parallel update), min and max. Nulls and NaN are skipped.
struct ColumnMoments {
  double count = 0;
  double mean = 0;
  double m2 = 0;
  double min = 0;  // Meaningful when count > 0.
  double max = 0;

  void Add(double value);
  void Merge(const ColumnMoments& other);
};

class Normalize : public Operator {
 public:
  explicit Normalize(NormalizeOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "normalize"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  Status Fit(const Accumulator& merged) override;
  // Nulls stay null. A constant column (std or range 0) becomes 0; a column
  // that had no values in the fit passes through unscaled.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

  // Fitted moments, one per column in inputs() order. For tests.
  const std::vector<ColumnMoments>& moments() const { return moments_; }

 private:
  // The output is (v - offset) * factor.
  void OffsetAndFactor(const ColumnMoments& moments, double* offset, double* factor) const;

  NormalizeOptions options_;            // As configured.
  std::vector<std::string> columns_;    // Resolved by Bind().
  std::vector<ColumnMoments> moments_;  // Set by Fit() or LoadState().
};

}  // namespace kiln::prep
