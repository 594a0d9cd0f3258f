// ColumnSelection: which columns an operator applies to, as written in YAML
// (`columns: [I1, "C*"]`): names or shell-style globs, matched against the
// schema the operator is bound to.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kiln/core/schema.h"
#include "kiln/core/status.h"

namespace kiln::prep {

struct ColumnSelection {
  std::vector<std::string> patterns;  // Names or globs; empty selects every column the operator accepts.
};

// Which column types an operator can work on.
using TypeFilter = std::function<bool(const DataType&)>;

// The names of the matching columns in schema order. A pattern that matches
// nothing is a NotFound; a column named exactly whose type `accept` rejects
// is an InvalidArgument naming `op_kind`. Globs silently skip such columns.
// The hidden row-id column (row_id.h) is never selected.
Result<std::vector<std::string>> ResolveColumns(const ColumnSelection& selection, const Schema& schema,
                                                const TypeFilter& accept, const std::string& op_kind);

bool IsNumericType(const DataType& type);  // Integers and floats.
bool IsIntegerType(const DataType& type);  // int32/64, uint32/64.

}  // namespace kiln::prep
