// Reading Parquet files: the footer and schema, whole row groups, and a
// streaming BatchReader over them.
//
//   ParquetFileReader  one file: metadata, Kiln schema, statistics, and row
//                      groups decoded to record batches, the column chunks
//                      of one or several row groups in parallel.
//   ParquetReader      a BatchReader yielding one batch per row group, with
//                      column projection, a predicate and bounded memory.
//   ReadParquet        a whole file (or its selected part) as a Table.
//
// Errors name the file, the row group and the column, and the page when
// there is one: "data.parquet: row group 2, column 'price': page 5: ...".
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/core/status.h"
#include "kiln/core/table.h"
#include "kiln/core/thread_pool.h"
#include "kiln/parquet/column_reader.h"
#include "kiln/parquet/parquet_types.h"
#include "kiln/parquet/predicate.h"
#include "kiln/parquet/schema_import.h"

namespace kiln::parquet {

// Where a file's bytes come from: disk, or memory for tests and fuzzing.
class ParquetSource {
 public:
  virtual ~ParquetSource() = default;
  // The name errors use: the path for files.
  virtual const std::string& name() const = 0;
  virtual int64_t size() const = 0;
  // Reads exactly `length` bytes at `offset` into `out`. Safe to call from
  // several threads at once.
  virtual Status ReadAt(int64_t offset, int64_t length, uint8_t* out) const = 0;
};

Result<std::unique_ptr<ParquetSource>> OpenFileSource(const std::string& path);
std::unique_ptr<ParquetSource> MakeMemorySource(std::string name, std::string bytes);

struct ParquetReadOptions {
  std::vector<std::string> columns;  // Columns to read, in this order; empty: all.
  std::string predicate;             // "col op value": skips row groups by statistics, filters rows; empty: none.
  int threads = 0;                   // 0: ThreadPool::Default(); 1: calling thread only; n: a private pool.
  int row_groups_in_flight = 0;      // Row groups decoded together; 0: enough to keep the threads busy.
  DecodeLimits limits;               // What one column chunk may make the reader allocate.
};

// Columns chosen for reading.
struct Projection {
  std::vector<int> columns;  // Indices into FileSchema::columns, in output order.
  SchemaPtr schema;          // Their fields.
};

class ParquetFileReader {
 public:
  // Reads and checks the footer and imports the schema. Corruption for
  // anything that is not a well-formed Parquet file; columns of unsupported
  // shapes fail only when projected.
  static Result<std::unique_ptr<ParquetFileReader>> Open(const std::string& path, const DecodeLimits& limits = {});
  static Result<std::unique_ptr<ParquetFileReader>> Open(std::unique_ptr<ParquetSource> source,
                                                         const DecodeLimits& limits = {});

  ParquetFileReader(const ParquetFileReader&) = delete;
  ParquetFileReader& operator=(const ParquetFileReader&) = delete;

  const std::string& name() const { return source_->name(); }
  int64_t file_size() const { return source_->size(); }
  const format::FileMetaData& metadata() const { return metadata_; }
  const FileSchema& file_schema() const { return schema_; }
  int num_row_groups() const { return static_cast<int>(metadata_.row_groups.size()); }
  int64_t num_rows() const { return metadata_.num_rows; }
  // REQUIRES: 0 <= row_group < num_row_groups()
  int64_t row_group_rows(int row_group) const { return metadata_.row_groups[row_group].num_rows; }

  // Chooses columns by name, all of them when `names` is empty. NotFound for
  // an unknown name, InvalidArgument for a repeated one, NotSupported for a
  // column this reader cannot decode.
  Result<Projection> Project(const std::vector<std::string>& names) const;

  // The statistics of file_schema() column `column` in `row_group`.
  // REQUIRES: the column is supported; both indices are in range.
  ChunkStatistics Statistics(int row_group, int column) const;

  // Decodes one row group. `pool` spreads the columns over its threads; null
  // decodes on the calling thread.
  Result<RecordBatchPtr> ReadRowGroup(int row_group, const Projection& projection, ThreadPool* pool = nullptr) const;

  // Decodes several row groups at once, spreading all (row group, column)
  // pairs over `pool`, and appends one batch per row group to *batches.
  Status ReadRowGroups(const std::vector<int>& row_groups, const Projection& projection, ThreadPool* pool,
                       std::vector<RecordBatchPtr>* batches) const;

 private:
  ParquetFileReader(std::unique_ptr<ParquetSource> source, const DecodeLimits& limits)
      : source_(std::move(source)), limits_(limits) {}
  Status ReadFooter();
  Status CheckRowGroups() const;
  // Reads and decodes one column chunk; errors name the row group and column.
  Result<std::shared_ptr<Column>> ReadChunk(int row_group, int column, DecodeScratch* scratch) const;

  std::unique_ptr<ParquetSource> source_;  // The file's bytes.
  DecodeLimits limits_;                    // Caps on what one chunk may allocate.
  format::FileMetaData metadata_;          // The parsed footer.
  FileSchema schema_;                      // Kiln columns and leaf descriptors.
  mutable ScratchPool scratch_pool_;       // Page buffers reused by every read.
};

class ParquetReader : public BatchReader {
 public:
  // Opens `path` and resolves the options against its schema: unknown or
  // unsupported columns and malformed predicates fail here, not mid-read.
  static Result<std::unique_ptr<ParquetReader>> Open(const std::string& path, const ParquetReadOptions& options);
  // The same for an open file (whose own limits apply).
  static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<ParquetFileReader> file,
                                                     const ParquetReadOptions& options);

  const SchemaPtr& schema() const override { return schema_; }
  // One batch per row group that has matching rows, in file order.
  Status Next(RecordBatchPtr* batch) override;
  ReadReport report() const override { return report_; }

  const ParquetFileReader& file() const { return *file_; }
  // Row groups the predicate skipped by their statistics.
  int row_groups_skipped() const { return row_groups_skipped_; }

 private:
  ParquetReader() = default;
  Status Resolve(const ParquetReadOptions& options);
  Status SelectRowGroups();
  // Decodes the next window of row groups into ready_.
  Status DecodeWindow();
  // Applies the predicate and keeps the output columns.
  RecordBatchPtr Finish(const RecordBatchPtr& decoded) const;

  std::unique_ptr<ParquetFileReader> file_;  // The file being read.
  Projection projection_;                    // Decoded columns: the output ones, then the predicate's if extra.
  SchemaPtr schema_;                         // Output columns.
  std::optional<Predicate> predicate_;       // Bound to its column's type.
  int predicate_position_ = -1;              // Its column within projection_.
  std::vector<int> row_groups_;              // Row groups to read, after skipping.
  size_t next_row_group_ = 0;                // Index into row_groups_.
  int window_ = 1;                           // Row groups decoded together.
  std::unique_ptr<ThreadPool> own_pool_;     // When options.threads > 1.
  ThreadPool* pool_ = nullptr;               // Null: the calling thread only.
  std::deque<RecordBatchPtr> ready_;         // Decoded, not yet returned.
  int row_groups_skipped_ = 0;
  ReadReport report_;  // Rows delivered.
};

// Reads the selected rows and columns of a file into a Table, decoding all
// its row groups at once, in parallel over (row group, column) pairs.
Result<Table> ReadParquet(const std::string& path, const ParquetReadOptions& options = {});

// The pool `threads` asks for (see ParquetReadOptions::threads): the default
// pool, none, or a new private one stored in *own.
ThreadPool* ChoosePool(int threads, std::unique_ptr<ThreadPool>* own);

}  // namespace kiln::parquet
