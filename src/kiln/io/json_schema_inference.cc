#include "kiln/io/json_schema_inference.h"

#include <simdjson.h>

#include <unordered_map>
#include <vector>

#include "kiln/io/json_lines_scan.h"

namespace kiln {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

// A point in the merge lattice: unknown < bool | integer < float < string.
enum class Kind { kUnknown, kBool, kInteger, kFloat, kString, kList };

struct Guess {
  Kind kind = Kind::kUnknown;
  Kind element = Kind::kUnknown;  // For kList: the merged element kind.
};

Kind Merge(Kind a, Kind b) {
  if (a == Kind::kUnknown) return b;
  if (b == Kind::kUnknown || a == b) return a;
  bool numbers = (a == Kind::kInteger || a == Kind::kFloat) && (b == Kind::kInteger || b == Kind::kFloat);
  return numbers ? Kind::kFloat : Kind::kString;
}

Kind ScalarKind(const element& value) {
  switch (value.type()) {
    case element_type::NULL_VALUE: return Kind::kUnknown;
    case element_type::BOOL: return Kind::kBool;
    case element_type::INT64:
    case element_type::UINT64: return Kind::kInteger;
    case element_type::DOUBLE: return Kind::kFloat;
    default: return Kind::kString;  // Strings, and nested arrays or objects as text.
  }
}

void Observe(const element& value, Guess* guess) {
  if (value.type() != element_type::ARRAY) {
    Kind kind = ScalarKind(value);
    // A list seen beside a scalar can only be kept as text.
    guess->kind = guess->kind == Kind::kList && kind != Kind::kUnknown ? Kind::kString : Merge(guess->kind, kind);
    return;
  }
  if (guess->kind != Kind::kUnknown && guess->kind != Kind::kList) {
    guess->kind = Kind::kString;
    return;
  }
  guess->kind = Kind::kList;
  simdjson::dom::array items;
  if (value.get_array().get(items) != simdjson::SUCCESS) return;
  for (element item : items) guess->element = Merge(guess->element, ScalarKind(item));
}

DataType TypeOf(Kind kind) {
  switch (kind) {
    case Kind::kBool: return DataType::Bool();
    case Kind::kInteger: return DataType::Int64();
    case Kind::kFloat: return DataType::Float64();
    default: return DataType::String();
  }
}

}  // namespace

Result<Schema> InferJsonLinesSchema(const Buffer& text, int64_t first_line, int64_t max_rows,
                                    const std::string& path) {
  simdjson::dom::parser parser;
  std::vector<std::string> names;
  std::vector<Guess> guesses;
  std::unordered_map<std::string, size_t> index;
  Status status;
  int64_t rows = 0;
  ForEachJsonLine(text, first_line, &parser, [&](const JsonLine& line) {
    if (line.parse_error != simdjson::SUCCESS || line.root.type() != element_type::OBJECT) {
      std::string reason = line.parse_error != simdjson::SUCCESS ? simdjson::error_message(line.parse_error)
                                                                 : "expected a JSON object";
      status = Status::Corruption(path + ":" + std::to_string(line.line_number) + ": " + reason);
      return false;
    }
    simdjson::dom::object object;
    if (line.root.get_object().get(object) != simdjson::SUCCESS) return false;
    for (auto field : object) {
      std::string key(field.key);
      auto [it, added] = index.emplace(key, names.size());
      if (added) {
        names.push_back(key);
        guesses.emplace_back();
      }
      Observe(field.value, &guesses[it->second]);
    }
    return ++rows < max_rows;
  });
  if (!status.ok()) return status;
  std::vector<Field> fields;
  for (size_t i = 0; i < names.size(); ++i) {
    DataType type = guesses[i].kind == Kind::kList ? DataType::List(TypeOf(guesses[i].element))
                                                   : TypeOf(guesses[i].kind);
    fields.push_back({names[i], type, true});
  }
  return Schema(std::move(fields));
}

}  // namespace kiln
