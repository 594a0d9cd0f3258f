#include "kiln/prep/expression.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unordered_set>

#include "kiln/prep/expression_node.h"
#include "kiln/prep/row_id.h"

namespace kiln::prep {

namespace {

constexpr int kMaxDepth = 1000;  // Nesting limit: hostile input must not exhaust the stack.

std::string At(int position) { return "filter: position " + std::to_string(position) + ": "; }

enum class TokenKind { kEnd, kIdentifier, kQuotedIdentifier, kNumber, kString, kSymbol };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // Identifier, symbol, or the unescaped string.
  double number = 0;
  int position = 0;  // 1-based.
};

Status Tokenize(std::string_view text, std::vector<Token>* tokens) {
  size_t i = 0;
  while (true) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    Token token;
    token.position = static_cast<int>(i) + 1;
    if (i == text.size()) {
      tokens->push_back(token);
      return Status::OK();
    }
    char c = text[i];
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i;
      while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' || text[i] == '.')) ++i;
      token.kind = TokenKind::kIdentifier;
      token.text = std::string(text.substr(start, i - start));
    } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < text.size() &&
                                                               std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      std::string number(text.substr(i, std::min<size_t>(text.size() - i, 64)));
      char* end = nullptr;
      token.number = std::strtod(number.c_str(), &end);
      size_t used = static_cast<size_t>(end - number.c_str());
      if (used == 0) return Status::InvalidArgument(At(token.position) + "bad number");
      i += used;
      token.kind = TokenKind::kNumber;
    } else if (c == '\'' || c == '"' || c == '`') {
      char quote = c;
      ++i;
      while (true) {
        if (i == text.size()) return Status::InvalidArgument(At(token.position) + "unterminated quote");
        char d = text[i++];
        if (d == quote) {
          if (i < text.size() && text[i] == quote) {  // A doubled quote stands for itself.
            token.text += quote;
            ++i;
            continue;
          }
          break;
        }
        if (d == '\\' && i < text.size()) d = text[i++];
        token.text += d;
      }
      token.kind = quote == '`' ? TokenKind::kQuotedIdentifier : TokenKind::kString;
    } else {
      static const char* const kSymbols[] = {"==", "!=", "<>", "<=", ">=", "<", ">", "=", "+", "-",
                                             "*",  "/",  "(",  ")",  ","};
      token.kind = TokenKind::kSymbol;
      for (const char* symbol : kSymbols) {
        if (text.substr(i).starts_with(symbol)) {
          token.text = symbol;
          break;
        }
      }
      if (token.text.empty()) {
        return Status::InvalidArgument(At(token.position) + "unexpected character '" + std::string(1, c) + "'");
      }
      i += token.text.size();
    }
    tokens->push_back(std::move(token));
  }
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Recursive descent over the tokens, appending nodes.
class Parser {
 public:
  Parser(std::vector<Token> tokens, std::vector<ExpressionNode>* nodes) : tokens_(std::move(tokens)), nodes_(nodes) {}

  Result<int> ParseAll() {
    auto root = Or(0);
    if (!root.ok()) return root;
    if (Peek().kind != TokenKind::kEnd) return Status::InvalidArgument(At(Peek().position) + "unexpected '" + Describe(Peek()) + "'");
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[next_]; }
  Token Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }
  bool IsKeyword(const char* word) const {
    return Peek().kind == TokenKind::kIdentifier && Lower(Peek().text) == word;
  }
  bool IsSymbol(const char* symbol) const { return Peek().kind == TokenKind::kSymbol && Peek().text == symbol; }
  static std::string Describe(const Token& token) {
    if (token.kind == TokenKind::kEnd) return "end of expression";
    if (token.kind == TokenKind::kNumber) return "number";
    if (token.kind == TokenKind::kString) return "'" + token.text + "'";
    return token.text;
  }
  Status Expect(const char* symbol) {
    if (IsSymbol(symbol)) {
      Take();
      return Status::OK();
    }
    return Status::InvalidArgument(At(Peek().position) + "expected '" + symbol + "', found " + Describe(Peek()));
  }
  int Add(ExpressionNode node) {
    nodes_->push_back(std::move(node));
    return static_cast<int>(nodes_->size()) - 1;
  }
  int AddOperator(NodeKind kind, std::string op, int position, std::vector<int> children) {
    ExpressionNode node;
    node.kind = kind;
    node.op = std::move(op);
    node.position = position;
    node.children = std::move(children);
    return Add(std::move(node));
  }
  Status TooDeep() const { return Status::InvalidArgument(At(Peek().position) + "expression nested too deeply"); }

  Result<int> Or(int depth) {
    if (depth > kMaxDepth) return TooDeep();
    auto left = And(depth + 1);
    while (left.ok() && IsKeyword("or")) {
      int position = Take().position;
      auto right = And(depth + 1);
      if (!right.ok()) return right;
      left = AddOperator(NodeKind::kOr, "or", position, {*left, *right});
    }
    return left;
  }
  Result<int> And(int depth) {
    auto left = Not(depth + 1);
    while (left.ok() && IsKeyword("and")) {
      int position = Take().position;
      auto right = Not(depth + 1);
      if (!right.ok()) return right;
      left = AddOperator(NodeKind::kAnd, "and", position, {*left, *right});
    }
    return left;
  }
  Result<int> Not(int depth) {
    if (depth > kMaxDepth) return TooDeep();
    if (!IsKeyword("not")) return Compare(depth + 1);
    int position = Take().position;
    auto operand = Not(depth + 1);
    if (!operand.ok()) return operand;
    return AddOperator(NodeKind::kNot, "not", position, {*operand});
  }
  Result<int> Compare(int depth) {
    auto left = Sum(depth + 1);
    if (!left.ok()) return left;
    for (const char* op : {"==", "=", "!=", "<>", "<=", ">=", "<", ">"}) {
      if (!IsSymbol(op)) continue;
      int position = Take().position;
      auto right = Sum(depth + 1);
      if (!right.ok()) return right;
      std::string name = op;
      if (name == "=") name = "==";
      if (name == "<>") name = "!=";
      return AddOperator(NodeKind::kCompare, name, position, {*left, *right});
    }
    bool negated = false;
    int position = Peek().position;
    if (IsKeyword("not") && next_ + 1 < tokens_.size() && tokens_[next_ + 1].kind == TokenKind::kIdentifier &&
        Lower(tokens_[next_ + 1].text) == "in") {
      Take();
      negated = true;
    }
    if (!IsKeyword("in")) return left;
    Take();
    return InList(*left, negated, position);
  }
  Result<int> InList(int value, bool negated, int position) {
    Status status = Expect("(");
    if (!status.ok()) return status;
    std::vector<int> children{value};
    do {
      ExpressionNode literal;
      literal.position = Peek().position;
      bool minus = IsSymbol("-");
      if (minus) Take();
      Token token = Take();
      if (token.kind == TokenKind::kNumber) {
        literal.kind = NodeKind::kNumber;
        literal.number = minus ? -token.number : token.number;
      } else if (token.kind == TokenKind::kString && !minus) {
        literal.kind = NodeKind::kString;
        literal.text = token.text;
      } else {
        return Status::InvalidArgument(At(token.position) + "expected a number or a string in the list, found " +
                                       Describe(token));
      }
      children.push_back(Add(std::move(literal)));
    } while (IsSymbol(",") && (Take(), true));
    status = Expect(")");
    if (!status.ok()) return status;
    return AddOperator(NodeKind::kIn, negated ? "not in" : "in", position, std::move(children));
  }
  Result<int> Sum(int depth) {
    auto left = Product(depth + 1);
    while (left.ok() && (IsSymbol("+") || IsSymbol("-"))) {
      Token op = Take();
      auto right = Product(depth + 1);
      if (!right.ok()) return right;
      left = AddOperator(NodeKind::kArithmetic, op.text, op.position, {*left, *right});
    }
    return left;
  }
  Result<int> Product(int depth) {
    auto left = Unary(depth + 1);
    while (left.ok() && (IsSymbol("*") || IsSymbol("/"))) {
      Token op = Take();
      auto right = Unary(depth + 1);
      if (!right.ok()) return right;
      left = AddOperator(NodeKind::kArithmetic, op.text, op.position, {*left, *right});
    }
    return left;
  }
  Result<int> Unary(int depth) {
    if (depth > kMaxDepth) return TooDeep();
    if (!IsSymbol("-")) return Primary(depth + 1);
    int position = Take().position;
    auto operand = Unary(depth + 1);
    if (!operand.ok()) return operand;
    return AddOperator(NodeKind::kNegate, "-", position, {*operand});
  }
  Result<int> Primary(int depth) {
    Token token = Take();
    ExpressionNode node;
    node.position = token.position;
    switch (token.kind) {
      case TokenKind::kNumber:
        node.kind = NodeKind::kNumber;
        node.number = token.number;
        return Add(std::move(node));
      case TokenKind::kString:
        node.kind = NodeKind::kString;
        node.text = token.text;
        return Add(std::move(node));
      case TokenKind::kQuotedIdentifier:
        node.kind = NodeKind::kColumn;
        node.text = token.text;
        return Add(std::move(node));
      case TokenKind::kSymbol:
        if (token.text == "(") {
          auto inner = Or(depth + 1);
          if (!inner.ok()) return inner;
          Status status = Expect(")");
          if (!status.ok()) return status;
          return inner;
        }
        break;
      case TokenKind::kIdentifier: {
        std::string word = Lower(token.text);
        if (word == "true" || word == "false") {
          node.kind = NodeKind::kBool;
          node.boolean = word == "true";
          return Add(std::move(node));
        }
        if (word == "is_null") {
          Status status = Expect("(");
          if (!status.ok()) return status;
          auto inner = Or(depth + 1);
          if (!inner.ok()) return inner;
          status = Expect(")");
          if (!status.ok()) return status;
          return AddOperator(NodeKind::kIsNull, "is_null", token.position, {*inner});
        }
        if (word == "and" || word == "or" || word == "not" || word == "in") break;
        node.kind = NodeKind::kColumn;
        node.text = token.text;
        return Add(std::move(node));
      }
      case TokenKind::kEnd:
        break;
    }
    return Status::InvalidArgument(At(token.position) + "expected a value, found " + Describe(token));
  }

  std::vector<Token> tokens_;            // Ends with a kEnd token.
  size_t next_ = 0;                      // Index of the next token.
  std::vector<ExpressionNode>* nodes_;   // Where nodes go.
};

const char* KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNumber: return "a number";
    case ValueKind::kString: return "a string";
    default: return "a condition";
  }
}

Result<ValueKind> ColumnKind(const Field& field, int position) {
  switch (field.type.id()) {
    case TypeId::kBool: return ValueKind::kBool;
    case TypeId::kString:
    case TypeId::kBinary: return ValueKind::kString;
    case TypeId::kList:
    case TypeId::kDecimal:
      return Status::InvalidArgument(At(position) + "column '" + field.name + "' has type " + field.type.ToString() +
                                     ", which filter expressions do not handle");
    default: return ValueKind::kNumber;
  }
}

}  // namespace

Expression::Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

Result<Expression> Expression::Parse(std::string_view text) {
  std::vector<Token> tokens;
  Status status = Tokenize(text, &tokens);
  if (!status.ok()) return status;
  Expression expression;
  Parser parser(std::move(tokens), &expression.nodes_);
  auto root = parser.ParseAll();
  if (!root.ok()) return root.status();
  expression.root_ = *root;
  return expression;
}

Status Expression::Bind(const Schema& schema) {
  columns_.clear();
  // Children precede their parents in nodes_, so one forward sweep types the tree.
  for (ExpressionNode& node : nodes_) {
    auto child = [&](size_t i) -> const ExpressionNode& { return nodes_[node.children[i]]; };
    auto expect = [&](size_t i, ValueKind kind, const std::string& what) -> Status {
      if (child(i).type == kind) return Status::OK();
      return Status::InvalidArgument(At(node.position) + what + " needs " + KindName(kind) + ", not " +
                                     KindName(child(i).type));
    };
    Status status;
    switch (node.kind) {
      case NodeKind::kColumn: {
        int index = schema.IndexOf(node.text);
        if (index < 0 || node.text == kRowIdColumn) {
          return Status::NotFound(At(node.position) + "unknown column '" + node.text + "'");
        }
        auto kind = ColumnKind(schema.field(index), node.position);
        if (!kind.ok()) return kind.status();
        node.type = *kind;
        node.column_index = index;
        if (std::find(columns_.begin(), columns_.end(), node.text) == columns_.end()) columns_.push_back(node.text);
        break;
      }
      case NodeKind::kNumber: node.type = ValueKind::kNumber; break;
      case NodeKind::kString: node.type = ValueKind::kString; break;
      case NodeKind::kBool: node.type = ValueKind::kBool; break;
      case NodeKind::kNegate:
        status = expect(0, ValueKind::kNumber, "'-'");
        node.type = ValueKind::kNumber;
        break;
      case NodeKind::kArithmetic:
        status = expect(0, ValueKind::kNumber, "'" + node.op + "'");
        if (status.ok()) status = expect(1, ValueKind::kNumber, "'" + node.op + "'");
        node.type = ValueKind::kNumber;
        break;
      case NodeKind::kCompare:
        if (child(0).type == ValueKind::kBool && (node.op != "==" && node.op != "!=")) {
          status = Status::InvalidArgument(At(node.position) + "conditions compare only with == and !=");
        } else {
          status = expect(1, child(0).type, "'" + node.op + "' with " + KindName(child(0).type));
        }
        node.type = ValueKind::kBool;
        break;
      case NodeKind::kAnd:
      case NodeKind::kOr:
        status = expect(0, ValueKind::kBool, "'" + node.op + "'");
        if (status.ok()) status = expect(1, ValueKind::kBool, "'" + node.op + "'");
        node.type = ValueKind::kBool;
        break;
      case NodeKind::kNot:
        status = expect(0, ValueKind::kBool, "'not'");
        node.type = ValueKind::kBool;
        break;
      case NodeKind::kIn:
        if (child(0).type == ValueKind::kBool) {
          status = Status::InvalidArgument(At(node.position) + "'in' needs a number or a string, not a condition");
        }
        for (size_t i = 1; status.ok() && i < node.children.size(); ++i) {
          status = expect(i, child(0).type, "'in' list of " + std::string(KindName(child(0).type)));
        }
        node.type = ValueKind::kBool;
        break;
      case NodeKind::kIsNull: node.type = ValueKind::kBool; break;
    }
    if (!status.ok()) return status;
  }
  if (nodes_[root_].type != ValueKind::kBool) {
    return Status::InvalidArgument("filter: the expression is " + std::string(KindName(nodes_[root_].type)) +
                                   ", not a condition");
  }
  return Status::OK();
}

}  // namespace kiln::prep
