// kiln cat: the rows of a Parquet file or dataset directory as canonical
// JSON Lines on stdout (the form the interop tests compare with DuckDB).
#include <cstdio>
#include <limits>
#include <sstream>

#include "cli/command.h"
#include "kiln/io/json_writer.h"
#include "kiln/parquet/dataset.h"

namespace kiln::cli {

namespace {

struct CatFlags {
  std::string path;
  std::string columns;  // Comma separated; empty: all.
  std::string where;    // "col op value"; empty: every row.
  int64_t limit = -1;   // Rows to print; negative: all.
};

std::vector<std::string> SplitColumns(const std::string& text) {
  std::vector<std::string> names;
  std::stringstream stream(text);
  for (std::string name; std::getline(stream, name, ',');) {
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

Status WriteToStdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    return Status::IOError("write to stdout failed");
  }
  return Status::OK();
}

Status RunCat(const CatFlags& flags) {
  parquet::ParquetReadOptions options;
  options.columns = SplitColumns(flags.columns);
  options.predicate = flags.where;
  auto reader = parquet::OpenParquet(flags.path, options);
  if (!reader.ok()) return reader.status();
  int64_t left = flags.limit < 0 ? std::numeric_limits<int64_t>::max() : flags.limit;
  while (left > 0) {
    RecordBatchPtr batch;
    Status status = (*reader)->Next(&batch);
    if (!status.ok()) return status;
    if (batch == nullptr) break;
    if (batch->num_rows() > left) batch = batch->Slice(0, left);
    left -= batch->num_rows();
    status = FormatJsonLines(*batch, WriteToStdout);
    if (!status.ok()) return status;
  }
  if (std::fflush(stdout) != 0) return Status::IOError("write to stdout failed");
  return Status::OK();
}

}  // namespace

void AddCatCommand(CLI::App* app, Action* action) {
  CLI::App* cat = app->add_subcommand("cat", "Print the rows of a Parquet file or directory as JSON Lines");
  auto flags = std::make_shared<CatFlags>();
  cat->add_option("path", flags->path, "Parquet file, or directory of them (hive key=value partitions allowed)")
      ->required();
  cat->add_option("--columns", flags->columns, "Columns to print, comma separated (default: all)");
  cat->add_option("--where", flags->where,
                  "Only rows where 'column op value' holds (op: = != < <= > >=, or IS [NOT] NULL); "
                  "row groups whose statistics rule it out are not read");
  cat->add_option("--limit", flags->limit, "Print at most this many rows")->check(CLI::NonNegativeNumber);
  cat->callback([action, flags] { *action = [flags] { return RunCat(*flags); }; });
}

}  // namespace kiln::cli
