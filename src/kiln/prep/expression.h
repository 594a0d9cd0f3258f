// Expression: the small, typed expression language of Filter, parsed once
// and evaluated a batch at a time.
//
//   expr    := or ; or := and ('or' and)* ; and := not ('and' not)*
//   not     := 'not' not | compare
//   compare := sum [('=='|'='|'!='|'<>'|'<'|'<='|'>'|'>=') sum
//                   | ['not'] 'in' '(' literal (',' literal)* ')']
//   sum     := product (('+'|'-') product)* ; product := unary (('*'|'/') unary)*
//   unary   := '-' unary | primary
//   primary := number | 'text' | "text" | true | false | column | `any column`
//            | is_null '(' expr ')' | '(' expr ')'
//
// Keywords are lower or upper case. Values are numbers (every numeric,
// date32 and timestamp column, as float64: integers beyond 2^53 round),
// strings (string and binary columns; compared bytewise) or booleans (bool
// columns and conditions). Types are checked at Bind(): numbers compare with
// numbers, strings with strings, arithmetic takes numbers, and the whole
// expression must be a condition.
//
// Nulls: arithmetic on a null is null; a comparison or `in` with a null is
// false (so `not (x > 1)` holds for a null x); a null boolean column reads as
// false wherever a condition is expected; is_null(e) is true exactly when e
// is null. NaN compares as IEEE says (unequal to everything).
//
// Evaluation is vectorized: each node is computed for the whole batch into
// a typed buffer, then its parent runs one typed loop over those buffers.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"

namespace kiln::prep {

struct ExpressionNode;

class Expression {
 public:
  Expression();
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  // Parses `text`. Errors give the 1-based position in the text.
  static Result<Expression> Parse(std::string_view text);

  // Resolves column names against `schema` and checks types. Errors name the
  // position and the column. REQUIRES: Parse() made this expression.
  Status Bind(const Schema& schema);
  // The columns the expression reads, after Bind(), in first-use order.
  const std::vector<std::string>& columns() const { return columns_; }

  // Per row of `batch`, 1 where the condition holds and 0 elsewhere.
  // REQUIRES: Bind() succeeded; `batch` holds the columns, by name, with
  // the types Bind() saw.
  Result<std::vector<uint8_t>> Evaluate(const RecordBatch& batch) const;

 private:
  std::vector<ExpressionNode> nodes_;  // Parsed tree; children refer to indices.
  int root_ = -1;                      // Index of the top node.
  std::vector<std::string> columns_;   // Read by the expression.
};

}  // namespace kiln::prep
