// InferJsonLinesSchema: guesses column names and types from the first rows
// of JSON Lines text, for readers that were given no schema.
//
// Keys become columns in order of first appearance. Per key the types merge:
// integer + number = float64, anything + string = string, arrays merge their
// elements into list<...>, objects and mixed kinds become string (their JSON
// text). Keys that are only null, and lists that are only empty, get string
// (list<string>).
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/buffer.h"
#include "kiln/core/schema.h"
#include "kiln/core/status.h"

namespace kiln {

// Reads at most `max_rows` non-blank lines of `text`; a line that is not a
// JSON object is a Corruption error naming `path` and the line.
Result<Schema> InferJsonLinesSchema(const Buffer& text, int64_t first_line, int64_t max_rows,
                                    const std::string& path);

}  // namespace kiln
