// HashedCross: one int32 bucket column from the values of two or more
// categorical columns together: HashCombine over the columns' stable value
// hashes (value_hash.h), % num_buckets. A row with a null in any crossed
// column gets null_id, or a null without one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiln/prep/operator.h"

namespace kiln::prep {

struct HashedCrossOptions {
  std::vector<std::string> columns;  // Two or more, by exact name; the order changes the hash.
  int32_t num_buckets = 0;           // Required: buckets 0 .. num_buckets - 1.
  std::string output;                // New column; default: the names joined by "_x_".
  std::optional<int32_t> null_id;    // Id when any value is null; absent: null.
};

class HashedCross : public Operator {
 public:
  explicit HashedCross(HashedCrossOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "hashed_cross"; }
  // Appends the output column; fails when it already exists.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return options_.columns; }
  std::vector<std::string> outputs() const override { return {output_}; }
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  HashedCrossOptions options_;  // As configured.
  std::string output_;          // The output column's name.
};

}  // namespace kiln::prep
