// FillNA: replaces nulls in the selected columns with one value.
#pragma once

#include <string>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct FillNaOptions {
  ColumnSelection columns;  // Default: every numeric and string column.
  std::string value = "0";  // Parsed as each column's type (text for strings); must fit it.
};

class FillNa : public Operator {
 public:
  explicit FillNa(FillNaOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "fill_na"; }
  // Fails when the value does not parse as a selected column's type.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  // Outputs keep their types and have no nulls.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  FillNaOptions options_;             // As configured.
  std::vector<std::string> columns_;  // Resolved by Bind().
  double number_ = 0;                 // options_.value as a number, when numeric columns are selected.
};

}  // namespace kiln::prep
