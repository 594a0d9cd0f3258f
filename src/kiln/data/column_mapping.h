// ColumnMapping: which columns of a dataset feed which part of a Batch, and
// its resolution against a schema, which checks the types up front so a bad
// column fails at open with the file and column named.
//
//   label   bool, integer or float column   -> float
//   dense   integer or float columns        -> float
//   sparse  integer columns (one-hot ids)   -> int64
//   lists   list<integer> columns           -> int64 values + offsets
//
// Nulls read as 0 in dense, sparse and list columns (the DLRM convention for
// missing features); a null label is an error.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/schema.h"
#include "kiln/core/status.h"

namespace kiln::data {

struct ColumnMapping {
  std::string label = "label";      // Empty: no label.
  std::vector<std::string> dense;   // Dense feature columns, in output order.
  std::vector<std::string> sparse;  // One-hot id columns, in output order.
  std::vector<std::string> lists;   // Multi-hot list columns.
};

// label, I1..I13, C1..C26: what the dlrm recipe and the DLRM binary format hold.
ColumnMapping DlrmColumnMapping();

// Every column name the mapping reads, label first, then dense, sparse, lists.
std::vector<std::string> MappedColumnNames(const ColumnMapping& mapping);

// The mapping bound to a schema: the index in the schema of each mapped
// column, in MappedColumnNames() order.
struct BoundMapping {
  bool has_label = false;     // Whether the first index is the label.
  int dense_width = 0;        // Dense columns.
  int sparse_width = 0;       // One-hot columns.
  int list_count = 0;         // Multi-hot columns.
  std::vector<int> fields;    // Schema indices, MappedColumnNames() order.
  std::vector<TypeId> types;  // Their types (the element type for lists).

  // Bytes one row takes in a Batch, not counting list values.
  int64_t RowBytes() const;
};

// NotFound naming `source` and the column when a name is missing;
// InvalidArgument naming both when a type does not fit the role, or when the
// mapping reads nothing.
Result<BoundMapping> BindMapping(const ColumnMapping& mapping, const Schema& schema, const std::string& source);

}  // namespace kiln::data
