// Cast: converts columns to another type: between numeric types, from
// numeric to string, and from string to numeric.
#pragma once

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct CastOptions {
  ColumnSelection columns;  // Required: casting everything is rarely meant.
  DataType type;            // Numeric or string.
};

class Cast : public Operator {
 public:
  explicit Cast(CastOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "cast"; }
  // Fails without columns or for a type pair outside the list above.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  // Nulls stay null. A value that does not fit the target (text that is not
  // a number, NaN or out-of-range to an integer) is an InvalidArgument naming
  // the column and the row within the batch; floats to integers truncate.
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  Result<std::shared_ptr<Column>> CastColumn(const Column& column, const std::string& name) const;

  CastOptions options_;               // As configured.
  std::vector<std::string> columns_;  // Resolved by Bind().
};

}  // namespace kiln::prep
