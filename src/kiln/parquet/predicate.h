// Predicates of the form `column op value`, and the column chunk statistics
// they are checked against.
//
// A predicate does two jobs for the Parquet reader: it skips row groups whose
// min/max statistics prove that no row matches, and it filters the rows of
// the row groups that are read. Comparisons follow the column's Kiln type:
// numbers numerically, strings and binary bytewise (unsigned), dates and
// timestamps in time order, decimals by value. Null never matches a
// comparison, and NaN matches only `!=` (IEEE semantics).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/core/column.h"
#include "kiln/core/record_batch.h"
#include "kiln/core/status.h"
#include "kiln/parquet/parquet_types.h"
#include "kiln/parquet/schema_import.h"

namespace kiln::parquet {

enum class CompareOp { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kIsNull, kIsNotNull };

// "=", "!=", "<", ... "IS NULL", "IS NOT NULL".
const char* CompareOpName(CompareOp op);

// A predicate as written, before its value is typed by a column.
struct PredicateText {
  std::string column;  // Column name.
  CompareOp op = CompareOp::kEqual;
  std::string value;  // Literal text, quotes removed; empty for IS [NOT] NULL.
};

// Parses "col op value" with op one of = == != <> < <= > >=, or "col IS NULL"
// and "col IS NOT NULL". The value may be quoted with ' or "; so may the
// column name with " or `.
Result<PredicateText> ParsePredicate(const std::string& text);

// A column chunk's statistics, decoded to Kiln values.
struct ChunkStatistics {
  std::shared_ptr<Column> min;  // One row of the column's value type; null when absent.
  std::shared_ptr<Column> max;  // Likewise.
  bool ordered = false;         // min and max are bounds in Kiln's order, so they may prune.
  bool exact = false;           // min and max are values of the chunk, not truncated bounds.
  bool has_null_count = false;
  int64_t null_count = 0;
  int64_t num_values = 0;  // Values in the chunk, nulls included.
};

// Decodes the statistics of a column chunk. `column_order` is the file's sort
// order for the leaf, or null when the file records none. min_value and
// max_value are used when present and the order is the type's own;
// the deprecated min and max only for signed integers and floats, whose order
// old writers got right. Values that do not decode are left out.
ChunkStatistics DecodeStatistics(const ColumnDescriptor& column, const format::ColumnMetaData& metadata,
                                 const format::ColumnOrder* column_order);

// A predicate whose value has the type of its column.
class Predicate {
 public:
  // Types the value of `text` as `type`: numbers, true/false, dates
  // "YYYY-MM-DD", timestamps "YYYY-MM-DD HH:MM:SS[.ffffff]" or integer µs,
  // decimals with at most `scale` fractional digits. InvalidArgument when
  // the value does not parse; NotSupported for list columns.
  static Result<Predicate> Bind(const PredicateText& text, const DataType& type);

  const std::string& column() const { return column_; }
  CompareOp op() const { return op_; }
  // "price >= 10.50", for messages.
  std::string ToString() const;

  // False only when the statistics prove that no value of the chunk matches.
  bool MayMatch(const ChunkStatistics& statistics) const;

  // Whether row `row` of `column` matches.
  // REQUIRES: column.type() is the type this predicate was bound to.
  bool Matches(const Column& column, int64_t row) const;
  // One byte per row of `column` (1 when it matches); returns the count.
  int64_t Evaluate(const Column& column, std::vector<uint8_t>* matches) const;

 private:
  Predicate(std::string column, CompareOp op, std::shared_ptr<Column> literal)
      : column_(std::move(column)), op_(op), literal_(std::move(literal)) {}

  std::string column_;               // Name of the column it tests.
  CompareOp op_;                     // The comparison.
  std::shared_ptr<Column> literal_;  // One row of the column's type; null for IS [NOT] NULL.
};

// The rows of `batch` whose byte in `matches` is non-zero, copied into a new
// batch (the batch itself when all match).
// REQUIRES: matches.size() == batch.num_rows()
RecordBatchPtr FilterRows(const RecordBatchPtr& batch, const std::vector<uint8_t>& matches, int64_t match_count);

}  // namespace kiln::parquet
