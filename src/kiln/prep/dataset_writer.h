// DatasetWriter: writes a dataset directory of part files atomically.
//
// Everything goes into "<dir>.tmp-<pid>" first: part-00000.<ext>,
// part-00001.<ext>, ... (name order is row order, rows_per_part rows each)
// and whatever the caller puts under state_directory(). Commit() renames the
// temporary directory to <dir>, so a killed run never leaves a directory that
// looks complete; without Commit() the destructor removes it.
//
// In a distributed run every rank opens a writer on the same temporary
// directory (DatasetShare): the publisher (rank 0) creates it, every rank
// writes its parts under staged names, NumberParts() gives them their final
// names once the ranks know how many parts come before theirs, and the
// publisher's Commit() publishes the directory after the others' Commit().
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

// One process's part in writing a dataset; the default is the only one.
struct DatasetShare {
  bool publisher = true;  // Creates the temporary directory and publishes it in Commit().
  std::string run_id;     // Temporary directory "<dir>.tmp-<run_id>", the same on every rank; empty: the pid.
  int rank = -1;          // >= 0: parts are staged as "_rank<rank>-part-NNNNN" until NumberParts().
};

class DatasetWriter {
 public:
  // The publisher fails when `directory` exists, is not empty and overwrite
  // is off. REQUIRES: for other ranks, the publisher's Open() succeeded.
  static Result<std::unique_ptr<DatasetWriter>> Open(const std::string& directory, SchemaPtr schema,
                                                     DatasetWriteOptions options, DatasetShare share = {});
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
  // Closes the open part, if any.
  Status FinishParts();
  // Renames the staged parts to part-<first_part>, part-<first_part + 1>, ...;
  // `total_parts` is the number over all ranks (with none, the publisher
  // writes one empty part). REQUIRES: FinishParts(); only with share.rank >= 0.
  Status NumberParts(int first_part, int total_parts);
  // Closes the last part; the publisher publishes the directory, other ranks
  // leave their parts to it. REQUIRES: called once.
  Status Commit();

  int64_t rows_written() const { return rows_written_; }
  int parts_written() const { return part_index_; }

 private:
  DatasetWriter(std::string directory, SchemaPtr schema, DatasetWriteOptions options, DatasetShare share);
  Status CreateTemporaryDirectory();
  // Opens part part_index_, under its staged name or its final one.
  Status StartPart(bool staged);
  // The name part `index` is written under, staged or final.
  std::string PartPath(int index, bool staged) const;

  std::string directory_;                  // Final name.
  std::string temp_directory_;             // Where files go until Commit().
  SchemaPtr schema_;                       // Of every batch.
  DatasetWriteOptions options_;            // As given.
  DatasetShare share_;                     // As given.
  int total_parts_ = -1;                   // Over all ranks, from NumberParts(); -1: parts_written().
  std::unique_ptr<BatchWriter> part_;      // Open part file, or null.
  int64_t part_rows_ = 0;                  // Rows in the open part.
  int part_index_ = 0;                     // Parts started so far.
  int64_t rows_written_ = 0;               // Over all parts.
  bool committed_ = false;                 // Commit() succeeded.
};

}  // namespace kiln::prep
