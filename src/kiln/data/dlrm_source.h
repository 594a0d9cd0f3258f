// DlrmSource: a DataSource over DLRM binary files (io/dlrm_binary.h). A read
// is one positional read of the unit's records, converted straight into the
// Batch layout.
#pragma once

#include <memory>
#include <vector>

#include "kiln/data/data_source.h"
#include "kiln/parquet/file_reader.h"

namespace kiln::data {

class DlrmDataSource : public DataSource {
 public:
  // REQUIRES: `files` is not empty.
  static Result<std::unique_ptr<DataSource>> Open(std::vector<std::string> files, const SourceOptions& options);

  Status Read(int64_t unit, int64_t begin, int64_t count, bool padded, Batch* batch) const override;

 private:
  DlrmDataSource() = default;

  std::vector<std::unique_ptr<parquet::ParquetSource>> sources_;  // One per file, for positional reads.
};

}  // namespace kiln::data
