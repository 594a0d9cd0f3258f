#include "kiln/io/json_lines_scan.h"

#include <cstring>

namespace kiln {

namespace {
bool IsBlank(const char* begin, const char* end) {
  for (const char* p = begin; p < end; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\r') return false;
  }
  return true;
}
}  // namespace

void ForEachJsonLine(const Buffer& text, int64_t first_line, simdjson::dom::parser* parser,
                     const std::function<bool(const JsonLine&)>& visit) {
  const char* cursor = reinterpret_cast<const char*>(text.data());
  const char* end = cursor + text.size();
  for (int64_t line = first_line; cursor < end; ++line) {
    const char* newline = static_cast<const char*>(std::memchr(cursor, '\n', end - cursor));
    const char* line_end = newline ? newline : end;
    if (!IsBlank(cursor, line_end)) {
      JsonLine parsed{line, {}, simdjson::SUCCESS};
      // The buffer's padding lets simdjson read past the line without a copy.
      parsed.parse_error = parser->parse(cursor, line_end - cursor, false).get(parsed.root);
      if (!visit(parsed)) return;
    }
    cursor = line_end + 1;
  }
}

}  // namespace kiln
