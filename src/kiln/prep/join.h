// Join: adds the columns of a dimension table (a file or a dataset
// directory in any format prep reads) to each row whose key matches.
//
// The table is read once, at Bind(), into memory and a hash map from key to
// row; a key that appears twice in it is an error naming the key. Keys
// match by value (integer widths alike, strings bytewise, types of the two
// sides must be both integers or both strings); a null key matches nothing.
// `left` keeps unmatched rows with nulls in the new columns; `inner` drops
// them (the row-id column follows the rows). A dimension column whose name
// the input already has is added as `<name><suffix>`.
//
// The table is saved with the state (`<prefix>.table`, Parquet), and
// `kiln prep apply` joins with that copy, never with the original file.
#pragma once

#include <string>
#include <vector>

#include "kiln/core/record_batch.h"
#include "kiln/prep/operator.h"
#include "kiln/prep/row_keys.h"

namespace kiln::prep {

enum class JoinType { kLeft, kInner };

struct JoinOptions {
  std::string table;                  // Required: the dimension file or directory.
  std::string format;                 // csv, tsv, jsonl or parquet; empty: from the extension.
  std::vector<std::string> on;        // Required: key columns of the input.
  std::vector<std::string> right_on;  // Key columns of the table; empty: the same names as `on`.
  std::vector<std::string> columns;   // Table columns to add; empty: every non-key column.
  JoinType how = JoinType::kLeft;
  std::string suffix = "_right";      // For added columns whose name the input has.
};

class Join : public Operator {
 public:
  explicit Join(JoinOptions options) : options_(std::move(options)) {}

  const char* kind() const override { return "join"; }
  // Reads the table (unless LoadStateBeforeBind() restored it) and checks keys.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return options_.on; }
  std::vector<std::string> outputs() const override { return output_names_; }
  bool has_state() const override { return true; }
  Status LoadStateBeforeBind(const std::string& prefix, const FittedStateReader& reader) override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;
  Status SaveState(const std::string& prefix, FittedStateWriter* writer) const override;

 private:
  Status IndexTable();

  JoinOptions options_;                    // As configured.
  RecordBatchPtr table_;                   // The dimension table, one batch.
  std::vector<std::string> right_keys_;    // Key columns of the table.
  std::vector<int> added_;                 // Table columns added, by index.
  std::vector<std::string> output_names_;  // Their names in the output.
  RowKeyMap<int64_t> rows_;                // Key -> table row.
};

}  // namespace kiln::prep
