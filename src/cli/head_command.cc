// kiln head: the first rows of a data file, as a table.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "cli/input_flags.h"
#include "kiln/core/pretty_print.h"

namespace kiln::cli {

namespace {

// Columns of the terminal on stdout; off a terminal, $COLUMNS or 160.
int TerminalWidth() {
  struct winsize size;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  const char* columns = std::getenv("COLUMNS");
  int width = columns ? std::atoi(columns) : 0;
  return width > 0 ? width : 160;
}

struct HeadFlags {
  std::string path;
  int64_t rows = 10;
  int width = 24;
  InputFlags input;
};

Status RunHead(const HeadFlags& flags) {
  FileFormat format;
  ReadOptions options;
  Status status = ResolveInput(flags.input, flags.path, &format, &options);
  if (!status.ok()) return status;
  // One batch of exactly the rows wanted: nothing more is parsed.
  options.csv.batch_rows = options.json.batch_rows = flags.rows;
  auto reader = OpenBatchReader(flags.path, format, options);
  if (!reader.ok()) return reader.status();
  Table table((*reader)->schema());
  while (table.num_rows() < flags.rows) {
    RecordBatchPtr batch;
    status = (*reader)->Next(&batch);
    if (!status.ok()) return status;
    if (batch == nullptr) break;
    table.AddBatch(std::move(batch));
  }
  PrettyOptions pretty;
  pretty.max_rows = flags.rows;
  pretty.max_column_width = flags.width;
  pretty.max_table_width = TerminalWidth();
  std::string text = PrettyPrint(table.Slice(0, flags.rows), pretty);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return Status::OK();
}

}  // namespace

void AddHeadCommand(CLI::App* app, Action* action) {
  CLI::App* head = app->add_subcommand("head", "Print the first rows of a CSV, TSV or JSON Lines file");
  auto flags = std::make_shared<HeadFlags>();
  head->add_option("file", flags->path, "Input file")->required();
  head->add_option("-n,--rows", flags->rows, "Rows to show")->check(CLI::PositiveNumber);
  head->add_option("--width", flags->width, "Maximum characters per cell")->check(CLI::Range(4, 1000));
  AddInputFlags(head, &flags->input);
  head->callback([action, flags] { *action = [flags] { return RunHead(*flags); }; });
}

}  // namespace kiln::cli
