// Helpers for comparing Kiln's canonical JSON Lines with another system's
// (DuckDB's, through tools/interop/read_canonical.mjs): floats are compared
// as numbers (float32 at float32 precision), because the two sides print the
// same value in different but equally exact texts; everything else exactly.
#pragma once


#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/core/table.h"
#include "kiln/io/json_writer.h"
#include "testing/run_command.h"

namespace kiln::testing {

// The raw texts of the top-level values of a one-line JSON object (or the
// elements of a JSON array), in order. Keys are dropped for objects.
inline std::vector<std::string> SplitJsonValues(const std::string& text) {
  std::vector<std::string> values;
  if (text.size() < 2) return values;
  const bool object = text.front() == '{';
  int depth = 0;
  bool in_string = false;
  size_t start = 1;
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    const bool last = i + 1 == text.size();
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && !last) {
      --depth;
    } else if (depth == 0 && (c == ',' || last)) {
      std::string value = text.substr(start, i - start);
      start = i + 1;
      if (object) {
        // Drop the key: a string, then ':'.
        size_t close = 1;
        while (close < value.size() && value[close] != '"') close += value[close] == '\\' ? 2 : 1;
        value = close + 2 <= value.size() ? value.substr(close + 2) : "";
      }
      if (!value.empty()) values.push_back(value);
    }
  }
  return values;
}

// One value's texts compared by type: floats numerically, lists element by
// element, the rest exactly.
inline bool SameJsonValue(const DataType& type, const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a == "null" || b == "null") return false;
  if (type.is_list()) {
    std::vector<std::string> left = SplitJsonValues(a), right = SplitJsonValues(b);
    if (left.size() != right.size()) return false;
    for (size_t i = 0; i < left.size(); ++i) {
      if (!SameJsonValue(type.value_type(), left[i], right[i])) return false;
    }
    return true;
  }
  if (type.id() == TypeId::kFloat32) {
    return static_cast<float>(std::strtod(a.c_str(), nullptr)) == static_cast<float>(std::strtod(b.c_str(), nullptr));
  }
  if (type.id() == TypeId::kFloat64) return std::strtod(a.c_str(), nullptr) == std::strtod(b.c_str(), nullptr);
  return false;
}

// Empty when the lines agree, else a description of the first difference.
inline std::string CompareJsonLines(const Schema& schema, const std::vector<std::string>& actual,
                                    const std::vector<std::string>& expected) {
  if (actual.size() != expected.size()) {
    return "rows: " + std::to_string(actual.size()) + " vs expected " + std::to_string(expected.size());
  }
  for (size_t row = 0; row < actual.size(); ++row) {
    std::vector<std::string> left = SplitJsonValues(actual[row]), right = SplitJsonValues(expected[row]);
    bool same = left.size() == right.size() && static_cast<int>(left.size()) == schema.num_fields();
    for (int c = 0; same && c < schema.num_fields(); ++c) same = SameJsonValue(schema.field(c).type, left[c], right[c]);
    if (!same) return "row " + std::to_string(row) + ":\n  actual   " + actual[row] + "\n  expected " + expected[row];
  }
  return "";
}

inline std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return SplitLines(buffer.str());
}

// The table in canonical JSON Lines, as `kiln cat` prints it.
inline std::vector<std::string> TableToJsonLines(const Table& table) {
  std::string text;
  for (const RecordBatchPtr& batch : table.batches()) {
    Status status = FormatJsonLines(*batch, [&](std::string_view piece) {
      text.append(piece);
      return Status::OK();
    });
    if (!status.ok()) return {"error: " + status.ToString()};
  }
  return SplitLines(text);
}

}  // namespace kiln::testing
