// CsvWriter: writes record batches as CSV or TSV text (RFC 4180 quoting).
//
// Nulls are written as the null string (empty by default); an empty string
// value is written as "" so that readers can tell it from a null. Fields that
// hold the delimiter, a quote or a line break are quoted. Rows of a batch are
// formatted in parallel and written in order; the file appears under its
// final name only on Close().
#pragma once

#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/core/file.h"

namespace kiln {

struct CsvWriteOptions {
  char delimiter = ',';     // '\t' for TSV.
  bool header = true;       // First line holds the column names.
  std::string null_string;  // Text written for nulls.
};

class CsvWriter : public BatchWriter {
 public:
  static Result<std::unique_ptr<CsvWriter>> Open(const std::string& path, SchemaPtr schema,
                                                 CsvWriteOptions options = {});

  Status Write(const RecordBatch& batch) override;
  Status Close() override;

 private:
  CsvWriter(std::unique_ptr<OutputFile> file, SchemaPtr schema, CsvWriteOptions options)
      : file_(std::move(file)), schema_(std::move(schema)), options_(std::move(options)) {}
  void AppendRows(const RecordBatch& batch, int64_t begin, int64_t end, std::string* out) const;
  void AppendField(std::string_view text, std::string* out) const;

  std::unique_ptr<OutputFile> file_;  // Temporary until Close().
  SchemaPtr schema_;                  // Of every batch written.
  CsvWriteOptions options_;           // Delimiter, header, null text.
};

}  // namespace kiln
