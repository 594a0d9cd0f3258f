// SplitWriter: writes a split stream (split.h) as one dataset per split,
// <parent>/<name>/part-NNNNN.<ext>, each with its own part numbering.
//
// `parent` is the temporary directory of the run's DatasetWriter, so the
// splits are published together with _state when that writer commits; each
// split's own DatasetWriter renames its directory into place inside it on
// Commit(). A split that gets no rows still gets one empty part.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiln/prep/dataset_writer.h"

namespace kiln::prep {

class SplitWriter {
 public:
  // `schema` is the stream's schema without the split column.
  static Result<std::unique_ptr<SplitWriter>> Open(const std::string& parent, const std::vector<std::string>& names,
                                                   SchemaPtr schema, const DatasetWriteOptions& options);

  // Routes each row to its split. REQUIRES: the batch is `schema` plus the
  // split column last.
  Status Write(const RecordBatch& batch);
  // Closes every split's parts and moves them into place in `parent`.
  Status Commit();

  int64_t rows_written() const;

 private:
  SplitWriter(SchemaPtr schema, std::vector<std::unique_ptr<DatasetWriter>> writers)
      : schema_(std::move(schema)), writers_(std::move(writers)) {}

  SchemaPtr schema_;                                    // Without the split column.
  std::vector<std::unique_ptr<DatasetWriter>> writers_;  // One per split, by index.
};

}  // namespace kiln::prep
