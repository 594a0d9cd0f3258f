// Order keys: each row's sort key as a byte string whose byte-wise
// (memcmp) order is the wanted row order, so sorting and merging spilled
// runs compare plain strings whatever the key columns' types.
//
// Per key column: a null marker byte (0 for a value, 1 for null, so nulls
// come last in both directions), then the value in an order-preserving
// encoding (big-endian integers with the sign bit flipped, IEEE floats with
// the usual sign fold, strings with 0x00 escaped and a 0x00 0x00
// terminator), all value bytes inverted when descending. A key ends with the
// row's stream position, which makes keys unique and ties stable.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/column.h"
#include "kiln/core/column_builder.h"
#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"

namespace kiln::prep {

struct SortKey {
  std::string column;       // Column name.
  bool descending = false;  // Largest first; nulls still last.
};

// Types an order key can encode: bool, integers, floats, string, binary,
// date32, timestamp.
bool IsOrderableType(const DataType& type);

// Appends the encoding of row `row` of `column`.
// REQUIRES: IsOrderableType(column.type()).
void AppendOrderKey(const Column& column, int64_t row, bool descending, std::string* key);

// Appends `value` as 8 big-endian bytes (order-preserving for non-negative values).
void AppendBigEndian(uint64_t value, std::string* key);

// Appends the order key of every row of `batch` by `keys`, each ending with
// the position first_position + row, to the binary column `out`. Fails
// when a key column is missing. REQUIRES: the key columns are orderable.
Status AppendColumnOrderKeys(const RecordBatch& batch, const std::vector<SortKey>& keys, int64_t first_position,
                             ColumnBuilder* out);

}  // namespace kiln::prep
