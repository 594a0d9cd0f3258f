// CountEncode and FrequencyEncode: add, per categorical column (integers or
// strings), a column holding how often the row's value occurred in the
// fitted data: the count (int64, `<column>_count`) or the count divided by
// the number of fitted rows (float64, `<column>_freq`). Nulls and values not
// seen in the fit get 0. Counts are exact, so the result does not depend on
// how the input was split.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"
#include "kiln/prep/row_keys.h"

namespace kiln::prep {

struct CountEncodeOptions {
  ColumnSelection columns;  // Default: every string column.
  bool frequency = false;   // Count / fitted rows instead of the count.
  std::string suffix;       // Of the new columns; default "_count" or "_freq".
};

class CountEncode : public Operator {
 public:
  explicit CountEncode(CountEncodeOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return options_.frequency ? "frequency_encode" : "count_encode"; }
  // Fails when a new column's name is taken.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return outputs_; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  Status Fit(const Accumulator& merged) override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  // Per column a table "<prefix>.<column>" (value, count); "<prefix>.rows".
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

 private:
  CountEncodeOptions options_;                  // As configured.
  std::vector<std::string> columns_;            // Resolved by Bind().
  std::vector<DataType> types_;                 // Of each column.
  std::vector<std::string> outputs_;            // New column per column.
  std::vector<RowKeyMap<int64_t>> counts_;      // Per column: value key -> count.
  int64_t rows_ = 0;                            // Rows fitted.
};

}  // namespace kiln::prep
