// The DLRM binary format: fixed-size records of 40 little-endian int32s,
//   label, 13 dense features, 26 sparse (categorical) ids,
// with no header, so record r starts at byte r * 160 and a file can be split
// anywhere on a record boundary.
//
// Dense features are stored as the bit patterns of float32 values, so the
// already transformed features of the `dlrm` recipe (ln(1 + max(v, 0)))
// round-trip exactly and a reader needs no transform. (facebookresearch/dlrm's
// CriteoBinDataset instead stores the raw integer counts and applies
// log(x + 1) as it reads; such files read here as small denormal floats.)
//
//   DlrmBinaryWriter  a BatchWriter for tables of exactly that shape.
//   DlrmBinaryReader  a BatchReader yielding label int32, I1..I13 float32,
//                     C1..C26 int32.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "kiln/core/batch_stream.h"
#include "kiln/core/file.h"

namespace kiln {

inline constexpr int kDlrmDenseFeatures = 13;
inline constexpr int kDlrmSparseFeatures = 26;
inline constexpr int kDlrmRecordValues = 1 + kDlrmDenseFeatures + kDlrmSparseFeatures;
inline constexpr int64_t kDlrmRecordBytes = 4 * kDlrmRecordValues;

// label int32, I1..I13 float32, C1..C26 int32, none nullable.
SchemaPtr DlrmBinarySchema();

// Rows in a DLRM binary file of `file_size` bytes; Corruption naming `name`
// when the size is not a whole number of records.
Result<int64_t> DlrmBinaryRows(const std::string& name, int64_t file_size);

class DlrmBinaryWriter : public BatchWriter {
 public:
  // The schema must have 40 columns: an integer or bool label, 13 float32 or
  // float64 columns, 26 integer columns; InvalidArgument naming the first
  // column that does not fit.
  static Result<std::unique_ptr<DlrmBinaryWriter>> Open(const std::string& path, SchemaPtr schema);

  // InvalidArgument naming the column and row of a null, or of an id that
  // does not fit in int32.
  Status Write(const RecordBatch& batch) override;
  Status Close() override;

 private:
  explicit DlrmBinaryWriter(std::unique_ptr<OutputFile> file) : file_(std::move(file)) {}

  std::unique_ptr<OutputFile> file_;  // Temporary until Close().
  int64_t rows_ = 0;                  // Written so far, for error rows.
  std::string records_;               // One batch encoded, reused.
};

class DlrmBinaryReader : public BatchReader {
 public:
  static constexpr int64_t kBatchRows = 65536;

  static Result<std::unique_ptr<DlrmBinaryReader>> Open(const std::string& path);

  const SchemaPtr& schema() const override { return schema_; }
  Status Next(RecordBatchPtr* batch) override;
  ReadReport report() const override { return report_; }

 private:
  DlrmBinaryReader(std::unique_ptr<InputFile> file, int64_t rows)
      : file_(std::move(file)), rows_(rows), schema_(DlrmBinarySchema()) {}

  std::unique_ptr<InputFile> file_;  // The records.
  int64_t rows_;                     // Records in the file.
  int64_t next_row_ = 0;             // First record of the next batch.
  SchemaPtr schema_;                 // DlrmBinarySchema().
  std::string records_;              // Raw bytes of one batch, reused.
  ReadReport report_;                // Rows delivered.
};

}  // namespace kiln
