// CollapseByHist: per key, the time-ordered list of the key's earlier values
// of some columns, the user histories of DIEN-style models.
//
// For each value column c, output "<prefix>c" list<type of c> (default
// prefix "hist_"): the values of c in the key's previous rows, oldest first,
// at most max_length of them (the latest ones); the row's own value is not
// included, so a key's first row gets an empty list. Null values stay in the
// lists as nulls. Ties in time keep input order.
//
// A sequential step (sequential_operator.h): the stream is sorted by time
// first when it is not already. Memory: keys x columns x max_length values.
#pragma once

#include <string>
#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/sequential_operator.h"

namespace kiln::prep {

struct CollapseByHistOptions {
  ColumnSelection columns;             // Columns whose history is kept (numbers, strings, dates).
  std::vector<std::string> partition;  // Key columns (e.g. the user id); empty: one key.
  std::string time;                    // The ordering column.
  int64_t max_length = 50;             // Most values per list.
  std::string prefix = "hist_";        // Output name = prefix + column name.
};

class CollapseByHist : public SequentialOperator {
 public:
  explicit CollapseByHist(CollapseByHistOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "collapse_by_hist"; }
  // Fails on unknown columns, list or decimal value columns, max_length < 1,
  // or an output name that already exists.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  std::vector<std::string> outputs() const override { return output_names_; }
  const std::string& time_column() const override { return options_.time; }
  const std::vector<std::string>& partition_columns() const override { return options_.partition; }
  std::unique_ptr<SequentialRun> NewRun() const override;

 private:
  CollapseByHistOptions options_;           // As configured.
  std::vector<std::string> columns_;        // Value columns, resolved by Bind().
  std::vector<std::string> output_names_;   // One per value column.
  std::vector<DataType> types_;             // Of the value columns.
};

}  // namespace kiln::prep
