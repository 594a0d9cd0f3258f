// PrettyPrint: a compact box table of a Table's first rows, for `kiln head`
// and for debugging. Long values are cut with an ellipsis; nulls show as
// "null"; the header shows each column's name and type.
#pragma once

#include <cstdint>
#include <string>

#include "kiln/core/table.h"

namespace kiln {

struct PrettyOptions {
  int64_t max_rows = 10;     // Rows shown; a footer counts the rest.
  int max_column_width = 24; // Characters per cell before cutting.
  // Characters per line; middle columns give way to a "…" column beyond it.
  // 0 means no limit.
  int max_table_width = 0;
};

std::string PrettyPrint(const Table& table, const PrettyOptions& options = {});

}  // namespace kiln
