// Filter: keeps the rows where a condition on their columns holds, e.g.
// `label == 1 and price > 0.5 and country in ('DE', 'FR') and not
// is_null(user)`. The language, its types and its null rules are in
// expression.h. Every column, the hidden row-id column included, keeps the
// surviving rows; a batch may come out empty.
#pragma once

#include <string>

#include "kiln/prep/expression.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct FilterOptions {
  std::string expression;  // Required: the condition rows must meet.
};

class Filter : public Operator {
 public:
  explicit Filter(FilterOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "filter"; }
  // Parses the expression and checks it against `input`; errors name the
  // position in the expression and unknown columns.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return expression_.columns(); }
  std::vector<std::string> outputs() const override { return {}; }
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  FilterOptions options_;   // As configured.
  Expression expression_;   // Parsed and bound by Bind().
};

}  // namespace kiln::prep
