// The one place that turns YAML into prep options: a prep file's input,
// output and steps. Unknown keys and bad values are errors that name the
// step and the key.
//
//   input:  {path: data.tsv, format: tsv, header: false, schema: criteo,
//            hex32: "*", null: "", on_error: skip, spill_parsed: true}
//   output: {path: out, format: parquet, rows_per_part: 1048576, overwrite: false,
//            row_group_rows: 131072, compression: zstd, dictionary: true}
//   steps:
//     - {op: fill_na, columns: ["I*"], value: 0}
//     - {op: log1p, columns: ["I*"], negative_to_zero: true}
//     - {op: categorify, columns: ["C*"], min_freq: 3}
#pragma once

#include <string>

#include "kiln/prep/prep_job.h"

namespace kiln::prep {

// Parses a prep file; `source` names it in messages.
Result<PrepJob> ParsePrepYaml(const std::string& text, const std::string& source);

}  // namespace kiln::prep
