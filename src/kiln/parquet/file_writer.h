// ParquetWriter: writes record batches as a Parquet file.
//
// Batches are buffered (without copying) until a row group is full; then the
// row group's columns are encoded in parallel on ThreadPool::Default() and
// appended in column order. The bytes go to a temporary file that is renamed
// to the final path only by a successful Close(), so a failed or abandoned
// writer never leaves a file under that name.
//
// Each Kiln column becomes one leaf column (see schema_export.h for the
// types); the footer's key-value metadata carries the Kiln schema under
// "kiln.schema" (Schema::ToString()), and every leaf declares TYPE_ORDER so
// readers trust the min/max statistics.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/core/file.h"
#include "kiln/core/table.h"
#include "kiln/parquet/codec.h"
#include "kiln/parquet/column_writer.h"
#include "kiln/parquet/parquet_types.h"
#include "kiln/parquet/schema_export.h"

namespace kiln::parquet {

// The key under which the footer carries Schema::ToString().
inline constexpr char kKilnSchemaKey[] = "kiln.schema";

struct ParquetWriteOptions {
  // UNCOMPRESSED, SNAPPY, GZIP, LZ4_RAW, BROTLI or ZSTD. (The deprecated
  // Hadoop-framed LZ4 and LZO are refused.)
  Codec codec = format::CompressionCodec::ZSTD;
  int compression_level = kDefaultCompressionLevel;  // Codec default unless set; see Compress().
  int64_t row_group_rows = 1'000'000;                // Rows per row group (the last may have fewer); >= 1.
  int64_t page_bytes = 1 << 20;                      // Target encoded size of a data page; >= 1.
  bool enable_dictionary = true;                     // Dictionary-encode all but booleans and wide decimals.
  int64_t dictionary_limit_bytes = 1 << 20;          // Past this PLAIN size a chunk falls back to PLAIN; >= 0.
  bool data_page_v2 = false;                         // DATA_PAGE_V2 pages instead of v1.
  bool page_statistics = true;                       // Statistics in data page headers, not only per chunk.
  std::string created_by = "kiln";                   // The footer's created_by.
};

// InvalidArgument naming the first option out of range.
Status ValidateWriteOptions(const ParquetWriteOptions& options);

class ParquetWriter : public BatchWriter {
 public:
  // Creates the temporary file and writes the leading magic. Fails on
  // invalid options, a schema Parquet cannot hold (see ExportSchema) or I/O.
  static Result<std::unique_ptr<ParquetWriter>> Open(const std::string& path, SchemaPtr schema,
                                                     ParquetWriteOptions options = {});
  ~ParquetWriter() override = default;  // Without Close(), removes the temporary file.

  ParquetWriter(const ParquetWriter&) = delete;
  ParquetWriter& operator=(const ParquetWriter&) = delete;

  // Buffers the batch, writing each row group as it fills. InvalidArgument
  // when the batch's schema differs from the writer's or a column that is
  // not nullable holds nulls. After any error the writer only fails.
  // REQUIRES: Close() has not been called.
  Status Write(const RecordBatch& batch) override;

  // Writes the last row group and the footer and renames the file to its
  // final path. A file with no rows has no row groups.
  // REQUIRES: Close() has not been called.
  Status Close() override;

  // Rows accepted so far (buffered or written).
  int64_t rows() const { return rows_; }

 private:
  ParquetWriter(std::unique_ptr<OutputFile> file, SchemaPtr schema, ParquetWriteOptions options,
                ExportedSchema exported);

  Status CheckBatch(const RecordBatch& batch) const;
  // Encodes the buffered rows as one row group and appends it.
  Status FlushRowGroup();
  // Appends the encoded chunks in order and records the row group.
  Status AppendRowGroup(std::vector<EncodedColumnChunk>* chunks);
  Status WriteFooter();

  std::unique_ptr<OutputFile> file_;                         // Temporary until Close().
  SchemaPtr schema_;                                         // Every batch's schema.
  ParquetWriteOptions options_;                              // As opened.
  ColumnWriterOptions column_options_;                       // The page-level part of options_.
  ExportedSchema exported_;                                  // Parquet schema and leaf layouts.
  std::vector<std::vector<std::shared_ptr<Column>>> pending_;  // Per column: pieces of the next row group.
  int64_t pending_rows_ = 0;                                 // Rows in pending_.
  int64_t rows_ = 0;                                         // Rows accepted.
  std::vector<format::RowGroup> row_groups_;                 // Written so far.
  Status error_;                                             // First failure; sticky.
  bool closed_ = false;                                      // Close() was called.
};

// Writes every batch of `table` to `path` with one ParquetWriter.
Status WriteParquet(const std::string& path, const Table& table, const ParquetWriteOptions& options = {});

}  // namespace kiln::parquet
