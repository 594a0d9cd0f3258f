// CsvReader: streams a CSV or TSV file as record batches, parsing chunks of
// rows in parallel.
//
// Open() reads the header line (after a UTF-8 byte order mark, if any) and,
// without a given schema, infers the column types from the first rows. Then
// RowChunker cuts the file into chunks of batch_rows rows, ChunkPipeline
// parses up to 2 x threads of them at once, and Next() returns one batch per
// chunk in file order, so memory stays bounded for any file size.
//
// Text rules: RFC 4180 quoting (see CsvOptions::quoted), "\r\n" or "\n" line
// ends, the last line may lack its newline, and blank lines are skipped
// (so a one-column file cannot hold an empty value as a blank line).
//
// A malformed row (unparsable value, wrong field count, stray quote) fails
// the read with a Corruption naming file, line and column, or under
// OnError::kSkip is dropped and counted in report(). A file with neither a
// header nor any row, and no schema or column names, is an InvalidArgument:
// there is nothing to take the columns from.
#pragma once

#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/core/progress.h"
#include "kiln/core/thread_pool.h"
#include "kiln/io/chunk_pipeline.h"
#include "kiln/io/csv_chunk_parser.h"
#include "kiln/io/csv_options.h"

namespace kiln {

class CsvReader : public BatchReader {
 public:
  // Opens `path` (IOError naming it if it cannot be read), reads the header
  // and settles the schema. No data rows are parsed yet.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, CsvOptions options = {});
  ~CsvReader() override;

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const SchemaPtr& schema() const override { return schema_; }
  // Batches hold batch_rows rows, except the last and those that lost rows
  // to OnError::kSkip. At the end, logs a warning if rows were skipped.
  Status Next(RecordBatchPtr* batch) override;
  ReadReport report() const override { return report_; }

 private:
  CsvReader() = default;
  // Merges a chunk's counts into report_.
  void Account(const CsvChunkResult& chunk);
  void Finish();

  CsvOptions options_;                                      // As given.
  SchemaPtr schema_;                                        // Of every batch.
  std::unique_ptr<ThreadPool> private_pool_;                // When options_.threads > 0; outlives pipeline_.
  std::unique_ptr<ChunkPipeline<CsvChunkResult>> pipeline_; // Chunks in, parsed chunks out, in order.
  std::unique_ptr<Progress> progress_;                      // When options_.show_progress.
  ReadReport report_;                                       // Counts so far.
  std::string path_;                                        // For messages.
  bool finished_ = false;                                   // Next() has returned the end.
};

}  // namespace kiln
