// Select, Drop and Rename: operators that change which columns a batch has
// and what they are called, without touching values.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kiln/prep/column_selection.h"
#include "kiln/prep/operator.h"

namespace kiln::prep {

struct SelectOptions {
  ColumnSelection columns;  // Kept in this order (pattern order, schema order within a glob).
};

struct DropOptions {
  ColumnSelection columns;  // Removed.
};

struct RenameOptions {
  std::vector<std::pair<std::string, std::string>> names;  // Old name -> new name.
};

class Select : public Operator {
 public:
  explicit Select(SelectOptions options) : options_(std::move(options)) {}
  const char* kind() const override { return "select"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return columns_; }
  std::vector<std::string> outputs() const override { return {}; }
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  SelectOptions options_;             // As configured.
  std::vector<std::string> columns_;  // Output order, resolved by Bind().
};

class Drop : public Operator {
 public:
  explicit Drop(DropOptions options) : options_(std::move(options)) {}
  const char* kind() const override { return "drop"; }
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override { return {}; }
  std::vector<std::string> outputs() const override { return {}; }
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  DropOptions options_;               // As configured.
  std::vector<std::string> columns_;  // Dropped, resolved by Bind().
};

class Rename : public Operator {
 public:
  explicit Rename(RenameOptions options) : options_(std::move(options)) {}
  const char* kind() const override { return "rename"; }
  // Fails when an old name is missing or a new name collides.
  Result<SchemaPtr> Bind(const SchemaPtr& input) override;
  std::vector<std::string> inputs() const override;
  std::vector<std::string> outputs() const override;
  Result<RecordBatchPtr> Transform(const RecordBatchPtr& batch) const override;

 private:
  RenameOptions options_;  // As configured.
};

}  // namespace kiln::prep
