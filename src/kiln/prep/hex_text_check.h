// CheckHexText: whether the hex32 columns of a delimited text input are all
// canonical: empty, or exactly 8 lower-case hex digits.
//
// Reading such columns straight into uint32 is much faster than strings,
// but "00ab" and "ab", or "AB" and "ab", would then become one value, and
// ordering by value would follow numbers instead of text. For canonical text
// neither can happen (and numeric order equals text order), so Kiln checks
// the input before it relies on hex32 and falls back to strings otherwise.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/status.h"
#include "kiln/io/csv_options.h"

namespace kiln::prep {

// Scans `files` (in parallel on the default pool) for a field of a hex32
// column of `options` that is not canonical. Sets *violation to
// "file:line: column 'C3' holds 'AB'" for the first one found, or clears it.
// Rows with a wrong field count are left to the reader to report. Only the
// lines that start in options.range are checked (all by default).
// REQUIRES: options.schema is set, options.quoted is false.
Status CheckHexText(const std::vector<std::string>& files, const CsvOptions& options, std::string* violation);

}  // namespace kiln::prep
