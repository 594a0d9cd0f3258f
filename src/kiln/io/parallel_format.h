// FormatRowsInParallel: turns rows into text on the thread pool and hands
// the pieces to a sink in row order. The text writers (CSV, JSON Lines and
// `kiln cat`) share it, so each only says how to format a range of rows.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "kiln/core/status.h"

namespace kiln {

using RowRangeFormatter = std::function<void(int64_t begin, int64_t end, std::string* out)>;
using TextSink = std::function<Status(std::string_view text)>;

// Calls format() on consecutive ranges of [0, rows) in parallel, then sink()
// on their outputs in order. Stops at the first sink error.
Status FormatRowsInParallel(int64_t rows, const RowRangeFormatter& format, const TextSink& sink);

}  // namespace kiln
