// Expression::Evaluate: one typed loop per node over whole-batch buffers.
#include <algorithm>
#include <functional>
#include <unordered_set>

#include "kiln/prep/batch_edit.h"
#include "kiln/prep/expression.h"
#include "kiln/prep/expression_node.h"

namespace kiln::prep {

namespace {

// The value of one node for every row of the batch, or one value for all
// rows when `scalar` (literals, and nodes computed only from literals).
struct Values {
  ValueKind type = ValueKind::kBool;
  bool scalar = false;
  std::vector<double> numbers;             // kNumber.
  std::vector<std::string_view> strings;   // kString: views into the batch or the tree.
  std::vector<uint8_t> bools;              // kBool: 0 or 1.
  std::vector<uint8_t> nulls;              // 1 for null; empty when nothing is null.

  bool has_nulls() const { return !nulls.empty(); }
};

// Index of row `row` in `values`.
inline int64_t At(const Values& values, int64_t row) { return values.scalar ? 0 : row; }

// Calls f(index_a, index_b) for each row, with the scalar cases resolved
// outside the loop so that each loop is a plain indexed one.
template <typename F>
void ForRows(const Values& a, const Values& b, int64_t rows, F&& f) {
  if (a.scalar && b.scalar) {
    f(0, 0);
  } else if (a.scalar) {
    for (int64_t row = 0; row < rows; ++row) f(0, row);
  } else if (b.scalar) {
    for (int64_t row = 0; row < rows; ++row) f(row, 0);
  } else {
    for (int64_t row = 0; row < rows; ++row) f(row, row);
  }
}

int64_t Length(const Values& a, const Values& b, int64_t rows) { return a.scalar && b.scalar ? 1 : rows; }

// Nulls of a result computed from a and b: null where either is.
std::vector<uint8_t> EitherNull(const Values& a, const Values& b, int64_t rows) {
  if (!a.has_nulls() && !b.has_nulls()) return {};
  std::vector<uint8_t> nulls(Length(a, b, rows), 0);
  ForRows(a, b, rows, [&](int64_t i, int64_t j) {
    nulls[a.scalar && b.scalar ? 0 : std::max(i, j)] = (a.has_nulls() && a.nulls[i]) || (b.has_nulls() && b.nulls[j]);
  });
  return nulls;
}

ValueKind KindOf(const DataType& type) {
  if (type.id() == TypeId::kBool) return ValueKind::kBool;
  return type.is_binary_like() ? ValueKind::kString : ValueKind::kNumber;
}

Values LoadColumn(const Column& column, ValueKind type) {
  Values values;
  values.type = type;
  const int64_t rows = column.length();
  if (column.null_count() > 0) {
    values.nulls.resize(rows);
    for (int64_t row = 0; row < rows; ++row) values.nulls[row] = column.IsNull(row);
  }
  if (type == ValueKind::kString) {
    values.strings.resize(rows);
    for (int64_t row = 0; row < rows; ++row) values.strings[row] = column.GetString(row);
  } else if (type == ValueKind::kBool) {
    const uint8_t* bools = column.data<uint8_t>();
    values.bools.assign(bools, bools + rows);
  } else {
    values.numbers.resize(rows);
    double* out = values.numbers.data();
    bool numeric = VisitNumeric(column.type().id(), [&](auto tag) {
      const auto* in = column.data<decltype(tag)>();
      for (int64_t row = 0; row < rows; ++row) out[row] = static_cast<double>(in[row]);
    });
    if (!numeric && column.type().id() == TypeId::kDate32) {
      const int32_t* in = column.data<int32_t>();
      for (int64_t row = 0; row < rows; ++row) out[row] = in[row];
    } else if (!numeric) {  // Timestamp.
      const int64_t* in = column.data<int64_t>();
      for (int64_t row = 0; row < rows; ++row) out[row] = static_cast<double>(in[row]);
    }
  }
  return values;
}

// A condition as 0/1 per row, a null counting as false.
Values Truthy(Values values) {
  if (values.has_nulls()) {
    for (size_t i = 0; i < values.bools.size(); ++i) values.bools[i] &= !values.nulls[i];
    values.nulls.clear();
  }
  return values;
}

Values Arithmetic(const std::string& op, const Values& a, const Values& b, int64_t rows) {
  Values out;
  out.type = ValueKind::kNumber;
  out.scalar = a.scalar && b.scalar;
  out.numbers.resize(Length(a, b, rows));
  out.nulls = EitherNull(a, b, rows);
  double* result = out.numbers.data();
  const double* x = a.numbers.data();
  const double* y = b.numbers.data();
  auto run = [&](auto f) { ForRows(a, b, rows, [&](int64_t i, int64_t j) { result[std::max(i, j)] = f(x[i], y[j]); }); };
  if (op == "+") run(std::plus<double>());
  if (op == "-") run(std::minus<double>());
  if (op == "*") run(std::multiplies<double>());
  if (op == "/") run(std::divides<double>());
  return out;
}

template <typename T>
void CompareTyped(const std::string& op, const std::vector<T>& x, const std::vector<T>& y, const Values& a,
                  const Values& b, int64_t rows, uint8_t* result) {
  auto run = [&](auto f) {
    ForRows(a, b, rows, [&](int64_t i, int64_t j) { result[std::max(i, j)] = f(x[i], y[j]); });
  };
  if (op == "==") run(std::equal_to<T>());
  if (op == "!=") run(std::not_equal_to<T>());
  if (op == "<") run(std::less<T>());
  if (op == "<=") run(std::less_equal<T>());
  if (op == ">") run(std::greater<T>());
  if (op == ">=") run(std::greater_equal<T>());
}

Values Compare(const std::string& op, const Values& a, const Values& b, int64_t rows) {
  Values out;
  out.scalar = a.scalar && b.scalar;
  out.bools.resize(Length(a, b, rows));
  uint8_t* result = out.bools.data();
  if (a.type == ValueKind::kNumber) CompareTyped(op, a.numbers, b.numbers, a, b, rows, result);
  if (a.type == ValueKind::kString) CompareTyped(op, a.strings, b.strings, a, b, rows, result);
  if (a.type == ValueKind::kBool) CompareTyped(op, a.bools, b.bools, a, b, rows, result);
  std::vector<uint8_t> nulls = EitherNull(a, b, rows);
  for (size_t i = 0; i < nulls.size(); ++i) result[i] &= !nulls[i];  // A comparison with null is false.
  return out;
}

Values Logic(NodeKind kind, const Values& a, const Values& b, int64_t rows) {
  Values out;
  out.scalar = a.scalar && b.scalar;
  out.bools.resize(Length(a, b, rows));
  uint8_t* result = out.bools.data();
  const uint8_t* x = a.bools.data();
  const uint8_t* y = b.bools.data();
  if (kind == NodeKind::kAnd) {
    ForRows(a, b, rows, [&](int64_t i, int64_t j) { result[std::max(i, j)] = x[i] & y[j]; });
  } else {
    ForRows(a, b, rows, [&](int64_t i, int64_t j) { result[std::max(i, j)] = x[i] | y[j]; });
  }
  return out;
}

template <typename T>
void Membership(const std::vector<T>& values, const std::unordered_set<T>& set, uint8_t* result) {
  for (size_t i = 0; i < values.size(); ++i) result[i] = set.count(values[i]) > 0;
}

Values In(const ExpressionNode& node, const std::vector<ExpressionNode>& nodes, const Values& value) {
  Values out;
  out.scalar = value.scalar;
  size_t length = value.type == ValueKind::kNumber ? value.numbers.size() : value.strings.size();
  out.bools.resize(length);
  if (value.type == ValueKind::kNumber) {
    std::unordered_set<double> set;
    for (size_t i = 1; i < node.children.size(); ++i) set.insert(nodes[node.children[i]].number);
    Membership(value.numbers, set, out.bools.data());
  } else {
    std::unordered_set<std::string_view> set;
    for (size_t i = 1; i < node.children.size(); ++i) set.insert(nodes[node.children[i]].text);
    Membership(value.strings, set, out.bools.data());
  }
  for (size_t i = 0; i < length; ++i) {
    bool null = value.has_nulls() && value.nulls[i];
    out.bools[i] = !null && (node.op == "in" ? out.bools[i] : !out.bools[i]);
  }
  return out;
}

Values Scalar(const ExpressionNode& node) {
  Values out;
  out.scalar = true;
  out.type = node.type;
  if (node.kind == NodeKind::kNumber) out.numbers = {node.number};
  if (node.kind == NodeKind::kString) out.strings = {node.text};
  if (node.kind == NodeKind::kBool) out.bools = {static_cast<uint8_t>(node.boolean)};
  return out;
}

}  // namespace

Result<std::vector<uint8_t>> Expression::Evaluate(const RecordBatch& batch) const {
  const int64_t rows = batch.num_rows();
  std::vector<Values> values(nodes_.size());
  for (size_t n = 0; n < nodes_.size(); ++n) {
    const ExpressionNode& node = nodes_[n];
    auto child = [&](size_t i) -> Values& { return values[node.children[i]]; };
    Values& out = values[n];
    switch (node.kind) {
      case NodeKind::kColumn: {
        auto index = FindColumn(batch, node.text, "filter");
        if (!index.ok()) return index.status();
        const Column& column = batch.column(*index);
        if (KindOf(column.type()) != node.type || column.type().is_list() || column.type().id() == TypeId::kDecimal) {
          return Status::InvalidArgument("filter: column '" + node.text + "' changed type to " +
                                         column.type().ToString() + " after the expression was bound");
        }
        out = LoadColumn(column, node.type);
        break;
      }
      case NodeKind::kNumber:
      case NodeKind::kString:
      case NodeKind::kBool: out = Scalar(node); break;
      case NodeKind::kNegate:
        out = std::move(child(0));
        for (double& number : out.numbers) number = -number;
        break;
      case NodeKind::kArithmetic: out = Arithmetic(node.op, child(0), child(1), rows); break;
      case NodeKind::kCompare: out = Compare(node.op, child(0), child(1), rows); break;
      case NodeKind::kAnd:
      case NodeKind::kOr: out = Logic(node.kind, Truthy(std::move(child(0))), Truthy(std::move(child(1))), rows); break;
      case NodeKind::kNot:
        out = Truthy(std::move(child(0)));
        for (uint8_t& value : out.bools) value = !value;
        break;
      case NodeKind::kIn: out = In(node, nodes_, child(0)); break;
      case NodeKind::kIsNull: {
        const Values& inner = child(0);
        out.scalar = inner.scalar;
        out.bools = inner.has_nulls() ? inner.nulls : std::vector<uint8_t>(inner.scalar ? 1 : rows, 0);
        break;
      }
    }
    out.type = node.type;
    for (int index : node.children) values[index] = Values();  // Each value has one reader: free it early.
  }
  Values result = Truthy(std::move(values[root_]));
  if (result.scalar) return std::vector<uint8_t>(rows, result.bools[0]);
  return std::move(result.bools);
}

}  // namespace kiln::prep
