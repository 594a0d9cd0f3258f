// ForEachJsonLine: walks the lines of a chunk of JSON Lines text and parses
// each non-blank one with simdjson's DOM parser. Shared by schema inference
// and the reader, so both see the same lines and line numbers.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>

#include "kiln/core/buffer.h"
#include "kiln/core/status.h"

namespace kiln {

// What the visitor learns about one line.
struct JsonLine {
  int64_t line_number;                 // 1-based physical line in the file.
  simdjson::dom::element root;         // Valid only during the call.
  simdjson::error_code parse_error;    // SUCCESS, or why the line is not JSON.
};

// Calls visit() for each non-blank line of text[0, size) in order, stopping
// early when it returns false. `text` must be followed by at least
// simdjson::SIMDJSON_PADDING readable bytes (kiln::Buffer guarantees that).
void ForEachJsonLine(const Buffer& text, int64_t first_line, simdjson::dom::parser* parser,
                     const std::function<bool(const JsonLine&)>& visit);

}  // namespace kiln
