#include "kiln/io/read_report.h"

#include "kiln/core/logging.h"

namespace kiln {

void AddChunkToReport(int64_t rows_read, int64_t rows_skipped, const std::vector<std::string>& errors, int max_kept,
                      ReadReport* report) {
  report->rows_read += rows_read;
  report->rows_skipped += rows_skipped;
  for (const std::string& error : errors) {
    if (static_cast<int>(report->first_errors.size()) >= max_kept) break;
    report->first_errors.push_back(error);
  }
}

void WarnAboutSkippedRows(const std::string& path, const ReadReport& report) {
  if (report.rows_skipped == 0) return;
  std::string message = path + ": skipped " + std::to_string(report.rows_skipped) + " malformed row" +
                        (report.rows_skipped == 1 ? "" : "s");
  if (!report.first_errors.empty()) message += "; first: " + report.first_errors.front();
  LogWarn(message);
}

}  // namespace kiln
