// Text forms of values: dates, timestamps, decimals and floats, and the
// parsers for the first two. Shared by the pretty-printer, the CSV and JSON
// writers and the readers' type inference, so every layer agrees on them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kiln/core/column.h"

namespace kiln {

// Days since 1970-01-01 <-> "YYYY-MM-DD" (proleptic Gregorian calendar).
void AppendDate32(std::string* out, int32_t days);
bool ParseDate32(std::string_view text, int32_t* days);

// Microseconds since the epoch <-> "YYYY-MM-DD HH:MM:SS[.ffffff]". The
// parser also takes a 'T' separator and a trailing 'Z'.
void AppendTimestamp(std::string* out, int64_t micros);
bool ParseTimestamp(std::string_view text, int64_t* micros);

// An unscaled decimal with `scale` digits after the point: "1207.00".
void AppendDecimal(std::string* out, __int128 unscaled, int scale);
// Parses "-12.5" into an unscaled value with `scale` digits after the point.
// Fails on more fractional digits than `scale` (no silent rounding) and on
// more than `precision` digits in all.
bool ParseDecimal(std::string_view text, int precision, int scale, __int128* unscaled);

// Shortest text that reads back to the same value ("0.1", "1e+300", "nan").
void AppendFloat64(std::string* out, double value);
void AppendFloat32(std::string* out, float value);

// Appends the text form of one non-null value; lists become "[a, b]".
// Used by the CSV writer and the pretty-printer.
// REQUIRES: column.IsValid(row)
void AppendValueText(std::string* out, const Column& column, int64_t row);

}  // namespace kiln
