// ParquetSource: a DataSource over Parquet files (see data_source.h). Each
// read decodes the unit's row group, only the mapped columns, on the calling
// thread, then stages the unit's rows.
#pragma once

#include <memory>
#include <vector>

#include "kiln/data/data_source.h"
#include "kiln/parquet/file_reader.h"

namespace kiln::data {

class ParquetDataSource : public DataSource {
 public:
  // REQUIRES: `files` is not empty.
  static Result<std::unique_ptr<DataSource>> Open(std::vector<std::string> files, const SourceOptions& options);

  Status Read(int64_t unit, int64_t begin, int64_t count, bool padded, Batch* batch) const override;

 private:
  ParquetDataSource() = default;

  std::vector<std::unique_ptr<parquet::ParquetFileReader>> readers_;  // One per file.
  std::vector<parquet::Projection> projections_;                      // Mapped columns of each file.
};

}  // namespace kiln::data
