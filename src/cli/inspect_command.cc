// kiln inspect: what a Parquet file (or directory of them) holds: schema,
// rows, row groups, and per column chunk its encodings, codec, sizes and
// statistics.
#include <cstdio>

#include "cli/command.h"
#include "kiln/parquet/file_inspection.h"

namespace kiln::cli {

void AddInspectCommand(CLI::App* app, Action* action) {
  CLI::App* inspect = app->add_subcommand("inspect",
                                          "Describe a Parquet file or directory: schema, row groups, "
                                          "encodings, sizes and statistics");
  auto path = std::make_shared<std::string>();
  inspect->add_option("path", *path, "Parquet file, or directory of them")->required();
  inspect->callback([action, path] {
    *action = [path]() -> Status {
      Result<std::string> report = parquet::InspectParquet(*path);
      if (!report.ok()) return report.status();
      std::fwrite(report->data(), 1, report->size(), stdout);
      return Status::OK();
    };
  });
}

}  // namespace kiln::cli
