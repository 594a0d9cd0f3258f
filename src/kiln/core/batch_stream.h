// BatchReader and BatchWriter: the streaming interfaces every format in Kiln
// implements (CSV, JSON Lines, Parquet), so that conversion, `kiln head` and
// the processing passes work on any of them one record batch at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"
#include "kiln/core/table.h"

namespace kiln {

// What a reader did with bad rows under OnError::kSkip.
struct ReadReport {
  int64_t rows_read = 0;                  // Rows delivered in batches.
  int64_t rows_skipped = 0;               // Malformed rows dropped.
  std::vector<std::string> first_errors;  // The first few skip reasons, with locations.
};

// How a reader treats a malformed row.
enum class OnError {
  kError,  // Stop with a Status that names the file, line and column.
  kSkip,   // Drop the row, count it, and keep the reason in the ReadReport.
};

class BatchReader {
 public:
  virtual ~BatchReader() = default;

  // The schema of every batch this reader yields.
  virtual const SchemaPtr& schema() const = 0;
  // Sets *batch to the next batch, or to nullptr at the end of the input.
  // After a non-OK status the reader must not be used again.
  virtual Status Next(RecordBatchPtr* batch) = 0;
  // Counts so far; complete once Next() has returned nullptr.
  virtual ReadReport report() const = 0;
};

class BatchWriter {
 public:
  virtual ~BatchWriter() = default;

  // REQUIRES: batch.schema() equals the schema the writer was opened with.
  virtual Status Write(const RecordBatch& batch) = 0;
  // Flushes and publishes the output under its final name. A writer that is
  // destroyed without Close() leaves no output behind.
  virtual Status Close() = 0;
};

// Reads every remaining batch of `reader` into a Table.
Result<Table> ReadAll(BatchReader* reader);

}  // namespace kiln
