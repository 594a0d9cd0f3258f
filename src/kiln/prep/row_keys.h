// Row keys: the values of one or more key columns of a row as one byte
// string, so that operators can count, group and join on any categorical key
// (one column, or several treated as one) with one kind of hash map, and
// ship the keys between processes as bytes.
//
// Encoding, per column: one byte, 0 for null and 1 for a value; then an
// integer-like value (bool, int32/64, uint32/64, date32, timestamp) as the 8
// bytes of its int64 value (uint64 by its bits), or a string/binary value as
// a uint32 length and its bytes; a float32/float64 value as the 8 bytes of
// its double (for attribute columns carried beside a key, not for keys).
// Integer widths encode alike, so an int32 key matches an int64 key with the
// same value.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"

namespace kiln::prep {

// Types a key column may have.
bool IsKeyType(const DataType& type);
// Types RowKey() can encode: key types and floats.
bool IsRowValueType(const DataType& type);
// True when keys of the two types encode alike (both integer-like, or both
// string/binary).
bool SameKeyFamily(const DataType& a, const DataType& b);

// The columns called `names` in `batch`. Errors name `op_kind` and the column.
Result<std::vector<const Column*>> FindKeyColumns(const RecordBatch& batch, const std::vector<std::string>& names,
                                                  const char* op_kind);

// Replaces *key with the key of `row`. REQUIRES: IsRowValueType() of every column.
void RowKey(const std::vector<const Column*>& columns, int64_t row, std::string* key);

// Columns of `types` holding the decoded `keys` in order; Corruption when a
// key does not hold values of these types.
Result<std::vector<std::shared_ptr<Column>>> DecodeRowKeys(const std::vector<std::string_view>& keys,
                                                           const std::vector<DataType>& types);

// Hash for maps keyed by row keys that can be probed with a string_view.
struct RowKeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
};
template <typename V>
using RowKeyMap = std::unordered_map<std::string, V, RowKeyHash, std::equal_to<>>;

}  // namespace kiln::prep
