// Bookkeeping shared by the text readers: folding each parsed chunk's counts
// into the ReadReport, and the warning when rows were skipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"

namespace kiln {

// Adds a chunk's delivered and skipped rows, keeping at most `max_kept`
// skip reasons in all.
void AddChunkToReport(int64_t rows_read, int64_t rows_skipped, const std::vector<std::string>& errors, int max_kept,
                      ReadReport* report);

// Logs "PATH: skipped N malformed rows; first: REASON" when any were skipped.
void WarnAboutSkippedRows(const std::string& path, const ReadReport& report);

}  // namespace kiln
