// Kiln's canonical JSON form of values, used by `kiln cat`, the JSON Lines
// writer and the tests that compare against other systems:
//   integers as numbers; float32 and float64 as the shortest text that reads
//   back to the same double (float32 is widened first); NaN and infinities as
//   the strings "NaN", "Infinity", "-Infinity"; strings as JSON strings;
//   booleans; null; dates as "YYYY-MM-DD"; timestamps as integer microseconds
//   since the epoch; decimals as strings with their scale ("1207.00"); lists
//   as arrays; binary as a string with each non-UTF-8 byte as \u00XX.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kiln/core/column.h"
#include "kiln/core/record_batch.h"

namespace kiln {

// Appends `text` as a quoted JSON string, escaping quotes, backslashes and
// control characters; invalid UTF-8 bytes become \u00XX.
void AppendJsonString(std::string* out, std::string_view text);

// A figure for a JSON report (metrics, summaries): nine significant digits,
// or null for NaN and infinities, which JSON cannot hold.
std::string JsonMetric(double value);

// Appends one value (null included) in canonical form.
void AppendJsonValue(std::string* out, const Column& column, int64_t row);

// Appends one row as a JSON object with keys in schema order, no newline.
void AppendJsonRow(std::string* out, const RecordBatch& batch, int64_t row);

}  // namespace kiln
