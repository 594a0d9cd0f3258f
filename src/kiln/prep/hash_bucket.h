// HashBucket: replaces the values of categorical columns (integers or
// strings) with hash % num_buckets as int32, using the stable hash of
// value_hash.h so that serving reproduces the buckets without any state.
#pragma once

#include <cstdint>
#include <optional>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct HashBucketOptions {
  ColumnSelection columns;         // Default: every string column.
  int32_t num_buckets = 0;         // Required: buckets 0 .. num_buckets - 1.
  std::optional<int32_t> null_id;  // Id of nulls; absent: nulls stay null.
};

class HashBucket : public Operator {
 public:
  explicit HashBucket(HashBucketOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "hash_bucket"; }
  // Fails unless num_buckets > 0.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return columns_; }
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  HashBucketOptions options_;         // As configured.
  std::vector<std::string> columns_;  // Resolved by Bind().
};

}  // namespace kiln::prep
