// Multi-value categorical columns, seen as one flat column of elements.
//
// Categorify counts and encodes elements, not rows: a single-value column is
// its own element column (one element per row, shared, not copied); a
// list<T> column contributes its elements; a string column with a separator
// is split, "a|b|c" into "a", "b", "c". Unflatten() puts the ids of the
// elements back into the input's shape: int32 for single-value columns,
// list<int32> for multi-value ones.
//
// Splitting: the empty string holds no values (an empty list); otherwise
// every separator ends a value, so "a||b" holds "a", "" and "b" and "a|"
// holds "a" and "". A null row, string or list, becomes an empty list; null
// elements of a list stay null elements (Categorify gives them null_id).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kiln/core/column.h"

namespace kiln::prep {

struct FlatValues {
  std::shared_ptr<Column> elements;  // The values, one per element.
  std::shared_ptr<Buffer> offsets;   // rows + 1 int64 from 0: row r owns elements [r], [r + 1]; null: one per row.
  int64_t rows = 0;                  // Rows of the input column.
};

// How a categorical column of `type` is read: its element type, and
// whether rows hold several values.
DataType ElementType(const DataType& type);
bool IsMultiValue(const DataType& type, const std::string& separator);

// REQUIRES: column's type is categorical or a list of a categorical type;
// separator is used only for string columns (empty: single-value).
FlatValues Flatten(const std::shared_ptr<Column>& column, const std::string& separator);

// `ids` (int32, one per element of `flat`, no nulls) shaped like the column
// `flat` came from.
std::shared_ptr<Column> Unflatten(const FlatValues& flat, std::shared_ptr<Column> ids);

}  // namespace kiln::prep
