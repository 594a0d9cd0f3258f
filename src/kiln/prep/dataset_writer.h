// DatasetWriter: writes a dataset directory of part files atomically.
//
// Everything goes into "<dir>.tmp-<pid>" first: part-00000.<ext>,
// part-00001.<ext>, ... (name order is row order, rows_per_part rows each)
// and whatever the caller puts under state_directory(). Commit() renames the
// temporary directory to <dir>, so a killed run never leaves a directory that
// looks complete; without Commit() the destructor removes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/io/formats.h"

namespace kiln::prep {

struct DatasetWriteOptions {
  FileFormat format = FileFormat::kParquet;  // Part file format.
  WriteOptions parts;                        // How each part is written.
  int64_t rows_per_part = 1 << 20;       // Rows per part file; the last has fewer.
  bool overwrite = false;                // Replace an existing non-empty directory.
  bool empty_part = true;                // With no rows, still write one empty part (off when splits hold the rows).
};

class DatasetWriter {
 public:
  // Fails when `directory` exists, is not empty and overwrite is off.
  static Result<std::unique_ptr<DatasetWriter>> Open(const std::string& directory, SchemaPtr schema,
                                                     DatasetWriteOptions options);
  ~DatasetWriter();

  DatasetWriter(const DatasetWriter&) = delete;
  DatasetWriter& operator=(const DatasetWriter&) = delete;

  // Appends rows, starting a new part file every rows_per_part rows.
  Status Write(const RecordBatch& batch);
  // The temporary directory, for scratch files that must not outlive the run
  // (remove them before Commit()).
  const std::string& temp_directory() const { return temp_directory_; }
  // "<temporary directory>/_state", created on first call.
  Result<std::string> StateDirectory();
  // Closes the last part and publishes the directory. REQUIRES: called once.
  Status Commit();

  int64_t rows_written() const { return rows_written_; }
  int parts_written() const { return part_index_; }

 private:
  DatasetWriter(std::string directory, SchemaPtr schema, DatasetWriteOptions options);
  Status StartPart();

  std::string directory_;                  // Final name.
  std::string temp_directory_;             // Where files go until Commit().
  SchemaPtr schema_;                       // Of every batch.
  DatasetWriteOptions options_;            // As given.
  std::unique_ptr<BatchWriter> part_;      // Open part file, or null.
  int64_t part_rows_ = 0;                  // Rows in the open part.
  int part_index_ = 0;                     // Parts started so far.
  int64_t rows_written_ = 0;               // Over all parts.
  bool committed_ = false;                 // Commit() succeeded.
};

}  // namespace kiln::prep
