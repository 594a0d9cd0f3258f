// NumberAt: one value of a numeric, date or timestamp column as a double,
// for steps that compare or subtract times and values of any such type
// (DifferenceLag, Split by time). Exact for integers below 2^53, which
// covers timestamps in microseconds.
#pragma once

#include "kiln/core/column.h"
#include "kiln/prep/batch_edit.h"

namespace kiln::prep {

// Integers, floats, date32 (days) and timestamps (microseconds).
inline bool IsNumberLikeType(const DataType& type) {
  return VisitNumeric(type.id(), [](auto) {}) || type.id() == TypeId::kDate32 || type.id() == TypeId::kTimestamp;
}

// REQUIRES: IsNumberLikeType(column.type()) and the row is not null.
inline double NumberAt(const Column& column, int64_t row) {
  if (column.type().id() == TypeId::kDate32) return column.Value<int32_t>(row);
  if (column.type().id() == TypeId::kTimestamp) return static_cast<double>(column.Value<int64_t>(row));
  double value = 0;
  VisitNumeric(column.type().id(), [&](auto tag) { value = static_cast<double>(column.Value<decltype(tag)>(row)); });
  return value;
}

}  // namespace kiln::prep
