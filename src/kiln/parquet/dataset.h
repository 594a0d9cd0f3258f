// Datasets: a directory of Parquet files read as one table.
//
// Files ending in .parquet are found recursively and read in the order of
// their paths (hidden files and those starting with '_' are skipped). Path
// segments of the form key=value are Hive-style partitions: each key becomes
// a column after the file columns, int64 when every value is an integer and
// string otherwise; __HIVE_DEFAULT_PARTITION__ is null. All files must have
// the same columns with the same types and the same partition keys.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/parquet/file_reader.h"

namespace kiln::parquet {

// The value Hive writes for a null partition key.
inline constexpr char kHiveNullPartition[] = "__HIVE_DEFAULT_PARTITION__";

// The .parquet files under `directory`, sorted by path. NotFound when there
// are none.
Result<std::vector<std::string>> ListParquetFiles(const std::string& directory);

class ParquetDatasetReader : public BatchReader {
 public:
  // Lists the files, checks that their schemas and partition keys agree
  // (naming the first file that differs) and resolves the options: columns
  // may name partition keys, and a predicate on a partition key skips whole
  // files.
  static Result<std::unique_ptr<ParquetDatasetReader>> Open(const std::string& directory,
                                                            const ParquetReadOptions& options);

  const SchemaPtr& schema() const override { return schema_; }
  Status Next(RecordBatchPtr* batch) override;
  ReadReport report() const override { return report_; }

  // The files that will be read, after partition pruning.
  const std::vector<std::string>& files() const { return files_; }

 private:
  // One partition key and its value in each file.
  struct PartitionColumn {
    Field field;                                     // Name, and int64 or string.
    std::vector<std::optional<std::string>> values;  // Per file; nullopt is null.
  };

  ParquetDatasetReader() = default;
  Status DiscoverPartitions(const std::string& directory);
  Status CheckSchemas();
  Status Resolve(const ParquetReadOptions& options);
  Status PrunePartitions(const PredicateText& predicate, int key);
  // The partition column `key` for `rows` rows of file `file`.
  std::shared_ptr<Column> PartitionValues(int key, size_t file, int64_t rows) const;

  std::vector<std::string> files_;           // In reading order.
  std::vector<PartitionColumn> partitions_;  // In path order.
  std::vector<Field> file_fields_;           // The first file's columns.
  std::vector<Status> file_support_;         // Whether each of them can be read.
  ParquetReadOptions file_options_;          // For each file: its columns and predicate.
  std::vector<int> output_;                  // Per output column: >= 0 a file column, < 0 partition ~index.
  SchemaPtr schema_;                         // Output columns.
  size_t next_file_ = 0;                     // Index into files_ of the next file to open.
  std::unique_ptr<ParquetReader> current_;   // The file being read.
  size_t current_file_ = 0;                  // Its index.
  ReadReport report_;                        // Rows delivered.
};

// A BatchReader for a Parquet file or a directory of them.
Result<std::unique_ptr<BatchReader>> OpenParquet(const std::string& path, const ParquetReadOptions& options);

}  // namespace kiln::parquet
