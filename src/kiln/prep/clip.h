// Clip: bounds the values of numeric columns to [min, max].
#pragma once

#include <optional>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct ClipOptions {
  ColumnSelection columns;    // Default: every numeric column.
  std::optional<double> min;  // No lower bound when absent.
  std::optional<double> max;  // No upper bound when absent.
};

class Clip : public Operator {
 public:
  explicit Clip(ClipOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "clip"; }
  // Fails without any bound, or when min > max.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  // Types and nulls are kept; on integer columns the bounds are rounded
  // inwards (min up, max down). NaN stays NaN.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  ClipOptions options_;               // As configured.
  std::vector<std::string> columns_;  // Resolved by Bind().
};

}  // namespace kiln::prep
