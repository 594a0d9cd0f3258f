// The Criteo text format: one row per line, '\n' line ends, no header, 40
// tab-separated fields: label (0 or 1), I1..I13 as decimal integers, C1..C26
// as exactly 8 lower-case hex digits. An empty field means a missing value.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/gen/criteo_generator.h"

namespace kiln {

// Longest line AppendCriteoTsv can write, '\n' included.
inline constexpr int64_t kCriteoMaxLineBytes =
    1 + kCriteoIntegerColumns * 20 + kCriteoCategoryColumns * 8 + kCriteoFields;

// Appends the lines of every row in `rows` to `out`.
void AppendCriteoTsv(const CriteoRows& rows, std::string* out);

}  // namespace kiln
