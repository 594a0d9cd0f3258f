#include "cli/input_flags.h"

#include <sstream>

namespace kiln::cli {

namespace {

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; std::getline(stream, part, ',');) parts.push_back(part);
  return parts;
}

Result<char> ParseDelimiter(const std::string& text) {
  if (text == "\\t" || text == "tab") return '\t';
  if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r") {
    return Status::InvalidArgument("--delimiter must be one character other than a quote or line break, got '" +
                                   text + "'");
  }
  return text[0];
}

// Applies --schema, which also may select the whole Criteo preset.
Status ApplySchema(const InputFlags& flags, ReadOptions* options) {
  if (flags.schema.empty()) return Status::OK();
  if (flags.schema == "criteo") {
    options->csv = CriteoTsvOptions();
    options->json.schema = CriteoSchema();
    return Status::OK();
  }
  auto schema = Schema::Parse(flags.schema);
  if (!schema.ok()) return schema.status().WithContext("--schema");
  options->csv.schema = *schema;
  options->json.schema = *schema;
  return Status::OK();
}

}  // namespace

void AddInputFlags(CLI::App* command, InputFlags* flags) {
  command->add_option("--format", flags->format, "Input format: csv, tsv or jsonl (default: from the extension)");
  command->add_option("--delimiter", flags->delimiter, "CSV field delimiter (one character, or \\t)");
  command->add_flag("--no-header", flags->no_header, "The CSV/TSV file has no header line");
  command->add_option("--null", flags->null_string, "CSV text that stands for null (default: empty field)");
  command->add_option("--schema", flags->schema,
                      "Column types: 'criteo' (label, I1..I13, C1..C26 hex) or 'name:type,...'");
  command->add_option("--columns", flags->columns, "Column names for a headerless CSV, comma separated");
  command->add_option("--hex32", flags->hex32, "Columns of 1-8 hex digits read as uint32, comma separated, or '*'");
  command->add_option("--on-error", flags->on_error, "Malformed rows: error (stop) or skip (drop and count)")
      ->check(CLI::IsMember({"error", "skip"}));
  command->add_option("--infer-rows", flags->infer_rows, "Rows sampled to infer column types")
      ->check(CLI::PositiveNumber);
}

Status ResolveInput(const InputFlags& flags, const std::string& path, FileFormat* format, ReadOptions* options) {
  auto resolved = flags.format.empty() ? FileFormatFromPath(path) : ParseFileFormat(flags.format);
  if (!resolved.ok()) return resolved.status();
  *format = *resolved;
  Status status = ApplySchema(flags, options);
  if (!status.ok()) return status;
  CsvOptions& csv = options->csv;
  if (!flags.delimiter.empty()) {
    auto delimiter = ParseDelimiter(flags.delimiter);
    if (!delimiter.ok()) return delimiter.status();
    csv.delimiter = *delimiter;
  }
  if (flags.no_header) csv.header = false;
  if (!flags.null_string.empty()) csv.null_string = flags.null_string;
  if (!flags.columns.empty()) csv.column_names = SplitCommas(flags.columns);
  if (!flags.hex32.empty()) csv.hex32_columns = SplitCommas(flags.hex32);
  OnError on_error = flags.on_error == "skip" ? OnError::kSkip : OnError::kError;
  csv.on_error = options->json.on_error = on_error;
  csv.infer_rows = options->json.infer_rows = flags.infer_rows;
  return Status::OK();
}

}  // namespace kiln::cli
