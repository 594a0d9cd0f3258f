#include "kiln/prep/collapse_by_hist.h"

#include <cstring>
#include <deque>
#include <optional>
#include <unordered_map>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/order_key.h"

namespace kiln::prep {

namespace {

// One remembered value: its bytes (fixed-width storage or string bytes), or
// nothing for null.
using StoredValue = std::optional<std::string>;

StoredValue StoreValue(const Column& column, int64_t row) {
  if (column.IsNull(row)) return std::nullopt;
  if (column.type().is_binary_like()) return std::string(column.GetString(row));
  int width = column.type().byte_width();
  const char* values = reinterpret_cast<const char*>(column.parts().values->data());
  return std::string(values + (column.offset() + row) * width, width);
}

void AppendStored(const StoredValue& value, const DataType& type, ColumnBuilder* builder) {
  if (!value) return builder->AppendNull();
  if (type.is_binary_like()) return builder->AppendString(*value);
  // Fixed-width values are appended as raw bytes of their width.
  uint64_t bits = 0;
  std::memcpy(&bits, value->data(), value->size());
  switch (value->size()) {
    case 1: return builder->Append(static_cast<uint8_t>(bits));
    case 2: return builder->Append(static_cast<uint16_t>(bits));
    case 4: return builder->Append(static_cast<uint32_t>(bits));
    default: return builder->Append(bits);
  }
}

class CollapseByHistRun : public SequentialRun {
 public:
  CollapseByHistRun(const CollapseByHistOptions& options, const std::vector<std::string>& columns,
                    const std::vector<std::string>& output_names, const std::vector<DataType>& types)
      : options_(options), columns_(columns), output_names_(output_names), types_(types) {}

  Result<RecordBatchPtr> Next(const RecordBatchPtr& batch) override {
    auto keys = FindPartitionColumns(*batch, options_.partition, "collapse_by_hist");
    if (!keys.ok()) return keys.status();
    auto values = FindPartitionColumns(*batch, columns_, "collapse_by_hist");
    if (!values.ok()) return values.status();
    std::vector<std::unique_ptr<ColumnBuilder>> builders;
    for (const DataType& type : types_) builders.push_back(std::make_unique<ColumnBuilder>(DataType::List(type)));
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      std::vector<std::deque<StoredValue>>& history = histories_[PartitionKeyOf(*keys, row)];
      history.resize(columns_.size());
      for (size_t c = 0; c < columns_.size(); ++c) {
        for (const StoredValue& value : history[c]) AppendStored(value, types_[c], &builders[c]->child());
        builders[c]->AppendList();
        history[c].push_back(StoreValue(*(*values)[c], row));
        if (static_cast<int64_t>(history[c].size()) > options_.max_length) history[c].pop_front();
      }
    }
    std::vector<Field> fields = batch->schema()->fields();
    std::vector<std::shared_ptr<Column>> columns = batch->columns();
    for (size_t c = 0; c < columns_.size(); ++c) {
      fields.push_back(Field{output_names_[c], DataType::List(types_[c])});
      columns.push_back(builders[c]->Finish());
    }
    return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(columns),
                                         batch->num_rows()));
  }

 private:
  const CollapseByHistOptions& options_;          // Of the operator.
  const std::vector<std::string>& columns_;       // Value columns.
  const std::vector<std::string>& output_names_;  // One per value column.
  const std::vector<DataType>& types_;            // Of the value columns.
  // Per key, per value column: the latest max_length values, oldest first.
  std::unordered_map<std::string, std::vector<std::deque<StoredValue>>> histories_;
};

}  // namespace

Result<SchemaPtr> CollapseByHist::Bind(const SchemaPtr& input) {
  Status status = CheckKeyColumns(*input, options_.partition, options_.time, kind());
  if (!status.ok()) return status;
  if (options_.max_length < 1) return Status::InvalidArgument("collapse_by_hist: max_length must be at least 1");
  if (options_.columns.patterns.empty()) return Status::InvalidArgument("collapse_by_hist: give the columns to collect");
  auto columns = ResolveColumns(options_.columns, *input, IsOrderableType, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  output_names_.clear();
  types_.clear();
  std::vector<Field> fields = input->fields();
  for (const std::string& name : columns_) {
    std::string output = options_.prefix + name;
    if (input->IndexOf(output) >= 0) {
      return Status::InvalidArgument("collapse_by_hist: output column '" + output + "' already exists");
    }
    types_.push_back(input->field(input->IndexOf(name)).type);
    output_names_.push_back(output);
    fields.push_back(Field{output, DataType::List(types_.back())});
  }
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::vector<std::string> CollapseByHist::inputs() const {
  std::vector<std::string> names = columns_;
  names.insert(names.end(), options_.partition.begin(), options_.partition.end());
  names.push_back(options_.time);
  return names;
}

std::unique_ptr<SequentialRun> CollapseByHist::NewRun() const {
  return std::make_unique<CollapseByHistRun>(options_, columns_, output_names_, types_);
}

}  // namespace kiln::prep
