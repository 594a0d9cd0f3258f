// AppendJsonElement: converts one parsed JSON value into a column's type and
// appends it. Shared by the JSON Lines reader for rows and list elements.
//
// Accepted conversions: integers into any numeric column (range-checked),
// any number into float columns, strings into string, binary, date32,
// timestamp and decimal columns (parsed), integers into timestamp columns as
// microseconds, arrays into list columns, and anything into string columns
// as its JSON text. null appends a null.
#pragma once

#include <simdjson.h>

#include <string>

#include "kiln/core/column_builder.h"

namespace kiln {

// On failure appends nothing to `builder` at this row's level (the caller
// truncates partially built lists) and sets *error to a short reason such as
// "expected int32, found string \"abc\"".
bool AppendJsonElement(const simdjson::dom::element& element, ColumnBuilder* builder, std::string* error);

}  // namespace kiln
