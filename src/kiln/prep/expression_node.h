// The parsed form of an Expression (expression.h), shared by the parser
// and the evaluator: nodes in a vector, each child before its parent.
#pragma once

#include <string>
#include <vector>

namespace kiln::prep {

enum class NodeKind { kColumn, kNumber, kString, kBool, kNegate, kArithmetic, kCompare, kAnd, kOr, kNot, kIn, kIsNull };
enum class ValueKind { kNumber, kString, kBool };

struct ExpressionNode {
  NodeKind kind = NodeKind::kNumber;
  int position = 0;                  // 1-based, in the expression text.
  std::string op;                    // Arithmetic or comparison operator; "not in" for a negated in.
  double number = 0;                 // kNumber.
  bool boolean = false;              // kBool.
  std::string text;                  // kString value, or kColumn name.
  std::vector<int> children;         // Operands; for kIn, the value then the list's literals.
  ValueKind type = ValueKind::kBool; // Set by Bind().
  int column_index = -1;             // kColumn, set by Bind().
};

}  // namespace kiln::prep
