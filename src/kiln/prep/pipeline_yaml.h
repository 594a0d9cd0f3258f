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
//     - {op: sort, columns: [user, ts], descending: [ts], memory_limit: 268435456}
//     - {op: shuffle, seed: 7}
//     - {op: difference_lag, columns: [price], partition: [user], time: ts, time_gap: true, fill: 0}
//     - {op: collapse_by_hist, columns: [item], partition: [user], time: ts, max_length: 50}
//     - {op: split, method: random, fractions: [0.8, 0.1, 0.1], seed: 1}   (names: train, valid, test)
//     - {op: split, method: time, time: ts, cutoffs: [1000]}                (or fractions: [0.9, 0.1])
//     - {op: split, method: last_k, user: user, time: ts, k: 1, names: [train, valid, test]}
#pragma once

#include <string>

#include "kiln/prep/prep_job.h"

namespace kiln::prep {

// Parses a prep file; `source` names it in messages.
Result<PrepJob> ParsePrepYaml(const std::string& text, const std::string& source);

}  // namespace kiln::prep
