// A readable report of a Parquet file or dataset, for `kiln inspect`: the
// schema as stored and as Kiln reads it, rows and row groups, and for each
// column chunk its encodings, codec, sizes and statistics (min, max and null
// count decoded to values).
#pragma once

#include <string>

#include "kiln/core/status.h"
#include "kiln/parquet/file_reader.h"

namespace kiln::parquet {

// The report of one open file.
std::string DescribeParquetFile(const ParquetFileReader& file);

// The report of a file, or of a directory: its files with their rows and the
// partition keys, then each file's report.
Result<std::string> InspectParquet(const std::string& path);

}  // namespace kiln::parquet
