// DataSource: the rows of a dataset as read units that decode threads stage
// into Batch layout independently and in any order.
//
// A dataset is one or more paths (files, directories, http(s):// or file://
// locations; a directory is every *.parquet or *.dlrm file under it, sorted)
// all of one format:
//   Parquet      a unit is a row group, or a part of one when unit_rows is
//                smaller (finer mixing, at the price of decoding the row
//                group once per part);
//   DLRM binary  a unit is a run of unit_rows fixed-size records.
// Units are numbered in file order; rows of unit u follow those of u - 1.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/data/batch.h"
#include "kiln/data/column_mapping.h"
#include "kiln/data/data_file.h"

namespace kiln::data {

struct ReadUnit {
  int file = 0;           // Index into files().
  int row_group = 0;      // Parquet row group; 0 for DLRM files.
  int64_t first_row = 0;  // Within the row group (Parquet) or the file (DLRM).
  int64_t rows = 0;       // Rows in the unit; >= 1.
};

struct SourceOptions {
  std::vector<std::string> paths;  // Files, directories or locations of one format.
  ColumnMapping mapping;           // What to read.
  int64_t unit_rows = 0;           // Largest read unit; 0: whole row groups, 131072-record DLRM runs.
  RemoteAccess remote;             // For remote paths.
};

class DataSource {
 public:
  // Lists the files, reads Parquet footers, and binds the mapping to every
  // file's schema: a missing column, a type that does not fit, a corrupt
  // footer or a DLRM file of a broken size fails here, naming the file.
  static Result<std::unique_ptr<DataSource>> Open(const SourceOptions& options);
  virtual ~DataSource() = default;

  const std::vector<std::string>& files() const { return files_; }
  const std::vector<ReadUnit>& units() const { return units_; }
  const BoundMapping& mapping() const { return mapping_; }
  int64_t num_rows() const { return num_rows_; }
  // Bytes read from files so far, over all threads.
  int64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }

  // Stages rows [begin, begin + count) of units()[unit] into *batch,
  // replacing its contents; `padded` sets their mask to 0. Thread-safe.
  // REQUIRES: begin + count <= units()[unit].rows
  virtual Status Read(int64_t unit, int64_t begin, int64_t count, bool padded, Batch* batch) const = 0;

 protected:
  DataSource() = default;

  std::vector<std::string> files_;              // Locations, in reading order.
  std::vector<ReadUnit> units_;                 // In file order.
  BoundMapping mapping_;                        // Bound to the first file.
  int64_t num_rows_ = 0;                        // Sum of units' rows.
  mutable std::atomic<int64_t> bytes_read_{0};  // Shared by every file source.
};

// The files that `paths` name, in order. Exposed for tests and the CLI.
Result<std::vector<std::string>> ListDatasetFiles(const std::vector<std::string>& paths, const RemoteStore* store);

}  // namespace kiln::data
