// Log1p: ln(1 + v) of numeric columns, the usual squashing of count features.
#pragma once

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct Log1pOptions {
  ColumnSelection columns;              // Default: every numeric column.
  bool negative_to_zero = false;        // ln(1 + max(v, 0)); else v < -1 gives NaN and v = -1 gives -inf.
  DataType type = DataType::Float32();  // Output type: float32 or float64.
};

class Log1p : public Operator {
 public:
  explicit Log1p(Log1pOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "log1p"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  // Computed in double and rounded once to the output type; nulls stay null.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  template <typename In, typename Out>
  std::shared_ptr<Column> Apply(const Column& column) const;

  Log1pOptions options_;              // As configured.
  std::vector<std::string> columns_;  // Resolved by Bind().
};

}  // namespace kiln::prep
