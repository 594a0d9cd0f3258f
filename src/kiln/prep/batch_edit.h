// Helpers that operators use to build their output batches: typed dispatch
// over numeric column types, fresh fixed-width columns that keep an input's
// nulls, and batches with some columns replaced.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kiln/core/column.h"
#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"

namespace kiln::prep {

// Calls f(T{}) with T the storage type of a numeric type id; returns false
// (without calling f) for other types.
template <typename F>
bool VisitNumeric(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kInt32: f(int32_t{}); return true;
    case TypeId::kInt64: f(int64_t{}); return true;
    case TypeId::kUInt32: f(uint32_t{}); return true;
    case TypeId::kUInt64: f(uint64_t{}); return true;
    case TypeId::kFloat32: f(float{}); return true;
    case TypeId::kFloat64: f(double{}); return true;
    default: return false;
  }
}

// The validity bits of `column` copied to start at bit 0, or nullptr when it
// has no nulls.
std::shared_ptr<Buffer> CopyValidity(const Column& column);

// A fixed-width column of `type` over `values` (length rows from 0), with
// `validity` (may be null).
std::shared_ptr<Column> MakeFixedColumn(DataType type, int64_t length, std::shared_ptr<Buffer> values,
                                        std::shared_ptr<Buffer> validity);

// Column `name` of `batch`, or a NotFound naming the operator.
Result<int> FindColumn(const RecordBatch& batch, const std::string& name, const char* op_kind);

// `batch` with the columns at the given indices replaced; their fields keep
// name and nullability and take the new columns' types.
RecordBatchPtr ReplaceColumns(const RecordBatch& batch,
                              const std::vector<std::pair<int, std::shared_ptr<Column>>>& replacements);

}  // namespace kiln::prep
