#include "kiln/prep/dlrm_recipe.h"

#include "kiln/prep/pipeline_yaml.h"

namespace kiln::prep {

namespace {

// YAML double-quoted scalar.
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string DlrmRecipeYaml(const DlrmRecipeOptions& options) {
  std::string min_freq = std::to_string(options.min_freq);
  return "# kiln prep --recipe dlrm\n"
         "input:\n"
         "  path: " + Quoted(options.input) + "\n"
         "  format: tsv\n"
         "  schema: criteo\n"
         "  on_error: " + options.on_error + "\n"
         "output:\n"
         "  path: " + Quoted(options.output) + "\n"
         "  format: " + options.format + "\n"
         "  rows_per_part: " + std::to_string(options.rows_per_part) + "\n"
         "  row_group_rows: " + std::to_string(options.row_group_rows) + "\n"
         "  compression: " + options.compression + "\n"
         "  overwrite: " + (options.overwrite ? "true" : "false") + "\n"
         "steps:\n"
         "  - {op: fill_na, columns: [\"I*\"], value: 0}\n"
         "  - {op: log1p, columns: [\"I*\"], negative_to_zero: true, type: float32}\n"
         "  - {op: categorify, columns: [\"C*\"], min_freq: " + min_freq +
         ", order: frequency, null_id: 0, oov_id: 0}\n";
}

Result<PrepJob> DlrmRecipeJob(const DlrmRecipeOptions& options) {
  return ParsePrepYaml(DlrmRecipeYaml(options), "recipe dlrm");
}

}  // namespace kiln::prep
