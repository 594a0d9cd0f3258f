// File formats by name and extension, and one place that opens a reader or a
// writer for any of them, so commands and pipelines never switch on formats.
#pragma once

#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/io/csv_options.h"
#include "kiln/io/csv_writer.h"
#include "kiln/io/json_options.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/parquet/file_writer.h"

namespace kiln {

enum class FileFormat { kCsv, kTsv, kJsonLines, kParquet, kDlrm };

// "csv", "tsv", "jsonl", "parquet", "dlrm" (see dlrm_binary.h).
const char* FileFormatName(FileFormat format);
// Accepts the names above and "json", "ndjson" for JSON Lines.
Result<FileFormat> ParseFileFormat(const std::string& name);
// From the extension: .csv, .tsv/.tab, .jsonl/.ndjson/.json, .parquet/.pq, .dlrm;
// a directory is a Parquet dataset. Unknown extensions are an
// InvalidArgument that suggests --format.
Result<FileFormat> FileFormatFromPath(const std::string& path);

struct ReadOptions {
  CsvOptions csv;         // For CSV (any delimiter) and TSV (the format sets '\t').
  JsonLinesOptions json;  // For JSON Lines.
  parquet::ParquetReadOptions parquet;  // For a Parquet file or dataset directory.
};

struct WriteOptions {
  CsvWriteOptions csv;  // For CSV (any delimiter) and TSV (the format sets '\t').
  parquet::ParquetWriteOptions parquet;  // For Parquet.
};

Result<std::unique_ptr<BatchReader>> OpenBatchReader(const std::string& path, FileFormat format,
                                                     const ReadOptions& options);
Result<std::unique_ptr<BatchWriter>> OpenBatchWriter(const std::string& path, FileFormat format, SchemaPtr schema,
                                                     const WriteOptions& options);

}  // namespace kiln
