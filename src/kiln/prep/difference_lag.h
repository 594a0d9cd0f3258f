// DifferenceLag: per partition key, in time order, each value minus the
// previous value of the same key (and optionally the time since that row).
//
// Output, for each value column c: "c<suffix>" float64 (default suffix
// "_diff"); with time_gap, "<time><suffix>" float64 too (in the time
// column's unit: microseconds for timestamps, days for dates). The first
// row of a key, and a row whose value or whose previous row's value is
// null, gets `fill` when given, else null. Ties in time keep input order.
//
// A sequential step (sequential_operator.h): the stream is sorted by time
// first when it is not already. Memory: one previous row (values and time)
// per distinct key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/sequential_operator.h"

namespace kiln::prep {

struct DifferenceLagOptions {
  ColumnSelection columns;             // Numeric value columns; default every numeric column but the keys.
  std::vector<std::string> partition;  // Key columns; empty: the whole stream is one key.
  std::string time;                    // The ordering column (numeric, date or timestamp).
  bool time_gap = false;               // Also output the time since the key's previous row.
  std::optional<double> fill;          // For rows without a previous value; default null.
  std::string suffix = "_diff";        // Appended to the output column names.
};

class DifferenceLag : public SequentialOperator {
 public:
  explicit DifferenceLag(DifferenceLagOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "difference_lag"; }
  // Fails on unknown columns, non-numeric values or time, or an output name
  // that already exists.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  std::vector<std::string> outputs() const override { return output_names_; }
  const std::string& time_column() const override { return options_.time; }
  const std::vector<std::string>& partition_columns() const override { return options_.partition; }
  std::unique_ptr<SequentialRun> NewRun() const override;

 private:
  DifferenceLagOptions options_;          // As configured.
  std::vector<std::string> columns_;      // Value columns, resolved by Bind().
  std::vector<std::string> output_names_; // One per value column, then the gap column.
};

}  // namespace kiln::prep
