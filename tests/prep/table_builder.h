// Small hand-written batches for the prep tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kiln/core/column_builder.h"
#include "kiln/core/record_batch.h"

namespace kiln::prep::testing {

// A column of T with nulls where the optional is empty.
template <typename T>
std::shared_ptr<Column> MakeColumn(DataType type, const std::vector<std::optional<T>>& values) {
  ColumnBuilder builder(type);
  for (const auto& value : values) {
    if (!value) {
      builder.AppendNull();
    } else if constexpr (std::is_same_v<T, std::string>) {
      builder.AppendString(*value);
    } else {
      builder.Append(*value);
    }
  }
  return builder.Finish();
}

inline RecordBatchPtr MakeBatch(std::vector<Field> fields, std::vector<std::shared_ptr<Column>> columns) {
  auto batch = RecordBatch::Make(std::make_shared<Schema>(std::move(fields)), std::move(columns));
  return batch.ok() ? *batch : nullptr;
}

// Values of a fixed-width column, with `null` in place of nulls.
template <typename T>
std::vector<T> Values(const Column& column, T null = T{}) {
  std::vector<T> values;
  for (int64_t row = 0; row < column.length(); ++row) values.push_back(column.IsValid(row) ? column.Value<T>(row) : null);
  return values;
}

}  // namespace kiln::prep::testing
