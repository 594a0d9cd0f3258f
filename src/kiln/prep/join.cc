#include "kiln/prep/join.h"

#include <algorithm>

#include "kiln/core/column_builder.h"
#include "kiln/core/table.h"
#include "kiln/core/value_format.h"
#include "kiln/parquet/file_reader.h"
#include "kiln/prep/input_source.h"
#include "kiln/prep/row_id.h"
#include "kiln/prep/take_rows.h"

namespace kiln::prep {

namespace {

constexpr char kTableName[] = ".table";

Result<RecordBatchPtr> ReadWhole(std::unique_ptr<BatchReader> reader) {
  Table table(reader->schema());
  for (;;) {
    RecordBatchPtr batch;
    Status status = reader->Next(&batch);
    if (!status.ok()) return status;
    if (batch == nullptr) break;
    table.AddBatch(batch);
  }
  return table.Combine();
}

// "(k1=v1, k2=v2)" for messages.
std::string DescribeKey(const std::vector<std::string>& names, const std::vector<const Column*>& columns, int64_t row) {
  std::string text = "(";
  for (size_t i = 0; i < columns.size(); ++i) {
    text += (i ? ", " : "") + names[i] + "=";
    AppendValueText(&text, *columns[i], row);
  }
  return text + ")";
}

}  // namespace

Status Join::IndexTable() {
  auto keys = FindKeyColumns(*table_, right_keys_, "join");
  if (!keys.ok()) return keys.status().WithContext(options_.table);
  rows_.clear();
  rows_.reserve(table_->num_rows());
  std::string key;
  for (int64_t row = 0; row < table_->num_rows(); ++row) {
    bool null = false;
    for (const Column* column : *keys) null |= column->IsNull(row);
    if (null) continue;  // A null key matches nothing.
    RowKey(*keys, row, &key);
    if (!rows_.emplace(key, row).second) {
      return Status::InvalidArgument("join: key " + DescribeKey(right_keys_, *keys, row) + " appears more than once in " +
                                     options_.table + " (row " + std::to_string(row + 1) + ")");
    }
  }
  return Status::OK();
}

Status Join::LoadStateBeforeBind(const std::string& prefix, const FittedStateReader& reader) {
  auto table = parquet::ReadParquet(reader.directory() + "/" + prefix + kTableName + ".parquet");
  if (!table.ok()) return table.status();
  table_ = table->Combine();
  return Status::OK();
}

Result<SchemaPtr> Join::Bind(const SchemaPtr& input) {
  if (options_.on.empty()) return Status::InvalidArgument("join: give the key columns (on)");
  right_keys_ = options_.right_on.empty() ? options_.on : options_.right_on;
  if (right_keys_.size() != options_.on.size()) {
    return Status::InvalidArgument("join: on and right_on name different numbers of columns");
  }
  if (table_ == nullptr) {
    if (options_.table.empty()) return Status::InvalidArgument("join: give the dimension table");
    InputSpec spec;
    spec.path = options_.table;
    spec.format = options_.format;
    auto reader = OpenInput(spec);
    if (!reader.ok()) return reader.status();
    auto table = ReadWhole(std::move(*reader));
    if (!table.ok()) return table.status();
    table_ = *table;
  }
  const Schema& right = *table_->schema();
  for (size_t k = 0; k < options_.on.size(); ++k) {
    int left_index = input->IndexOf(options_.on[k]);
    int right_index = right.IndexOf(right_keys_[k]);
    if (left_index < 0 || options_.on[k] == kRowIdColumn) {
      return Status::NotFound("join: no key column '" + options_.on[k] + "' in the input");
    }
    if (right_index < 0) return Status::NotFound("join: no key column '" + right_keys_[k] + "' in " + options_.table);
    const DataType& left_type = input->field(left_index).type;
    const DataType& right_type = right.field(right_index).type;
    if (!IsKeyType(left_type) || !SameKeyFamily(left_type, right_type)) {
      return Status::InvalidArgument("join: key '" + options_.on[k] + "' is " + left_type.ToString() + " but '" +
                                     right_keys_[k] + "' in " + options_.table + " is " + right_type.ToString());
    }
  }
  Status status = IndexTable();
  if (!status.ok()) return status;
  added_.clear();
  output_names_.clear();
  std::vector<Field> fields = input->fields();
  for (int i = 0; i < right.num_fields(); ++i) {
    const std::string& name = right.field(i).name;
    bool key = std::find(right_keys_.begin(), right_keys_.end(), name) != right_keys_.end();
    bool wanted = options_.columns.empty() ? !key
                                           : std::find(options_.columns.begin(), options_.columns.end(), name) !=
                                                 options_.columns.end();
    if (!wanted) continue;
    std::string output = input->IndexOf(name) >= 0 ? name + options_.suffix : name;
    if (input->IndexOf(output) >= 0 || std::find(output_names_.begin(), output_names_.end(), output) != output_names_.end()) {
      return Status::InvalidArgument("join: column '" + output + "' exists; choose another suffix");
    }
    added_.push_back(i);
    output_names_.push_back(output);
    fields.push_back(Field{output, right.field(i).type, true});
  }
  for (const std::string& name : options_.columns) {
    if (right.IndexOf(name) < 0) return Status::NotFound("join: no column '" + name + "' in " + options_.table);
  }
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

Result<RecordBatchPtr> Join::Transform(const RecordBatchPtr& batch) const {
  auto keys = FindKeyColumns(*batch, options_.on, kind());
  if (!keys.ok()) return keys.status();
  const int64_t rows = batch->num_rows();
  std::vector<int64_t> matches(rows, -1);
  std::vector<int64_t> kept;  // Inner join: the matched input rows.
  std::string key;
  for (int64_t row = 0; row < rows; ++row) {
    bool null = false;
    for (const Column* column : *keys) null |= column->IsNull(row);
    if (!null) {
      RowKey(*keys, row, &key);
      auto found = rows_.find(std::string_view(key));
      if (found != rows_.end()) matches[row] = found->second;
    }
    if (matches[row] >= 0) kept.push_back(row);
  }
  RecordBatchPtr left = batch;
  if (options_.how == JoinType::kInner && static_cast<int64_t>(kept.size()) != rows) {
    left = TakeRows(*batch, kept);
    std::vector<int64_t> kept_matches;
    for (int64_t row : kept) kept_matches.push_back(matches[row]);
    matches = std::move(kept_matches);
  }
  std::vector<Field> fields = left->schema()->fields();
  std::vector<std::shared_ptr<Column>> columns = left->columns();
  for (size_t a = 0; a < added_.size(); ++a) {
    const Column& source = table_->column(added_[a]);
    ColumnBuilder builder(source.type());
    builder.Reserve(static_cast<int64_t>(matches.size()));
    for (int64_t match : matches) {
      if (match < 0) {
        builder.AppendNull();
      } else {
        builder.AppendFrom(source, match);
      }
    }
    fields.push_back(Field{output_names_[a], source.type(), true});
    columns.push_back(builder.Finish());
  }
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(columns),
                                                      left->num_rows()));
}

Status Join::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  return writer->WriteTable(prefix + kTableName, Table(table_->schema(), {table_}));
}

}  // namespace kiln::prep
