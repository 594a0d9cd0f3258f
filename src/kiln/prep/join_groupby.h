// JoinGroupby: per key (one column, or several taken together), statistics
// of numeric columns over the fitted data, joined back onto every row as new
// float64 columns `<key>_<column>_<stat>` (`<key>` is the key columns'
// names joined by "_"), plus `<key>_count` (int64, rows per key) when
// `count` is asked for.
//
// Stats: count, sum, mean, std (population), min, max. Nulls and NaN in a
// column are left out of its statistics; a key whose column had no values
// gets sum 0 and null mean/std/min/max. Null keys form their own group.
// Rows whose key was not in the fitted data get count 0, sum 0 and nulls.
// Counts, min and max are exact; sums are exact for integers below 2^53, and
// otherwise can differ in the last bits with the order of merging.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/normalize.h"
#include "kiln/prep/operator.h"
#include "kiln/prep/row_keys.h"

namespace kiln::prep {

enum class GroupStat { kCount, kSum, kMean, kStd, kMin, kMax };

// "count" -> kCount, ...; false on an unknown name.
bool ParseGroupStat(const std::string& name, GroupStat* stat);

struct JoinGroupbyOptions {
  std::vector<std::string> keys;                                 // Required: key columns, taken together.
  ColumnSelection columns;                                       // Numeric columns; empty: none (count only).
  std::vector<GroupStat> stats = {GroupStat::kCount, GroupStat::kMean};
};

// What one key gathered.
struct GroupStats {
  int64_t rows = 0;                     // Rows with the key.
  std::vector<ColumnMoments> moments;   // Per column.
  std::vector<double> sums;             // Per column.

  void Merge(const GroupStats& other);
};

class JoinGroupby : public Operator {
 public:
  explicit JoinGroupby(JoinGroupbyOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "join_groupby"; }
  // Fails without keys or stats, or when an output name is taken.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  std::vector<std::string> outputs() const override { return output_names_; }
  bool needs_fit() const override { return true; }
  std::unique_ptr<Accumulator> NewAccumulator() const override;
  Status Fit(const Accumulator& merged) override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  // One table "<prefix>.groups": the key columns, "__rows", and per column
  // "<column>.count/.mean/.m2/.min/.max/.sum".
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;
  Status LoadState(const std::string& prefix, const FittedStateReader& reader) override;

 private:
  struct Output {
    GroupStat stat;
    int column;  // Index into columns_; -1 for the row count.
  };
  // The value of `output` for a key with `stats` (nullptr: unseen key);
  // false when it is null.
  static bool OutputValue(const Output& output, const GroupStats* stats, double* value);

  JoinGroupbyOptions options_;            // As configured.
  std::vector<std::string> columns_;      // Aggregated columns, resolved by Bind().
  std::vector<DataType> key_types_;       // Of the key columns.
  std::vector<Output> outputs_;           // In output column order.
  std::vector<std::string> output_names_; // Likewise.
  RowKeyMap<GroupStats> groups_;          // Key -> statistics, from Fit() or LoadState().
};

}  // namespace kiln::prep
