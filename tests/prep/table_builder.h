// Small hand-written batches for the prep tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kiln/core/column_builder.h"
#include "kiln/core/record_batch.h"
#include "kiln/prep/operator.h"

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

// The int32 elements of each row of a list<int32> column.
inline std::vector<std::vector<int32_t>> ListValues(const Column& column) {
  std::vector<std::vector<int32_t>> rows;
  for (int64_t row = 0; row < column.length(); ++row) {
    std::vector<int32_t>& values = rows.emplace_back();
    for (int64_t i = column.ListBegin(row); i < column.ListEnd(row); ++i) values.push_back(column.child().Value<int32_t>(i));
  }
  return rows;
}

// Fits `op` on `batch` split into two accumulators, one merged directly and
// one through bytes, as a distributed run would.
inline void FitSplit(Operator* op, const RecordBatchPtr& batch) {
  ASSERT_TRUE(op->Bind(batch->schema()).ok());
  int64_t half = batch->num_rows() / 2;
  auto first = op->NewAccumulator();
  auto second = op->NewAccumulator();
  ASSERT_TRUE(first->Update(*batch->Slice(0, half)).ok());
  ASSERT_TRUE(second->Update(*batch->Slice(half, batch->num_rows() - half)).ok());
  std::string bytes;
  second->Serialize(&bytes);
  auto through_bytes = op->NewAccumulator();
  ASSERT_TRUE(through_bytes->MergeSerialized(bytes).ok());
  ASSERT_TRUE(first->Merge(*through_bytes).ok());
  Status fitted = op->Fit(*first);
  ASSERT_TRUE(fitted.ok()) << fitted.ToString();
}

}  // namespace kiln::prep::testing
