#include "kiln/prep/difference_lag.h"

#include <unordered_map>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/numeric_value.h"

namespace kiln::prep {

namespace {

// The previous row of one key.
struct PreviousRow {
  std::vector<double> values;  // Per value column.
  std::vector<bool> valid;     // Per value column: not null.
  double time = 0;             // Its time.
  bool time_valid = false;     // Its time is not null.
};

class DifferenceLagRun : public SequentialRun {
 public:
  DifferenceLagRun(const DifferenceLagOptions& options, const std::vector<std::string>& columns,
                   const std::vector<std::string>& output_names)
      : options_(options), columns_(columns), output_names_(output_names) {}

  Result<RecordBatchPtr> Next(const RecordBatchPtr& batch) override {
    auto keys = FindPartitionColumns(*batch, options_.partition, "difference_lag");
    if (!keys.ok()) return keys.status();
    auto values = FindPartitionColumns(*batch, columns_, "difference_lag");
    if (!values.ok()) return values.status();
    auto time_index = FindColumn(*batch, options_.time, "difference_lag");
    if (!time_index.ok()) return time_index.status();
    const Column& time = batch->column(*time_index);
    size_t outputs = output_names_.size();
    std::vector<std::unique_ptr<ColumnBuilder>> builders;
    for (size_t i = 0; i < outputs; ++i) builders.push_back(std::make_unique<ColumnBuilder>(DataType::Float64()));
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      auto [entry, first] = previous_.try_emplace(PartitionKeyOf(*keys, row));
      PreviousRow& previous = entry->second;
      if (first) {
        previous.values.assign(columns_.size(), 0);
        previous.valid.assign(columns_.size(), false);
      }
      for (size_t c = 0; c < columns_.size(); ++c) {
        const Column& column = *(*values)[c];
        bool valid = column.IsValid(row);
        double value = valid ? NumberAt(column, row) : 0;
        Emit(valid && previous.valid[c], value - previous.values[c], builders[c].get());
        previous.values[c] = value;
        previous.valid[c] = valid;
      }
      bool time_valid = time.IsValid(row);
      double now = time_valid ? NumberAt(time, row) : 0;
      if (options_.time_gap) Emit(time_valid && previous.time_valid, now - previous.time, builders.back().get());
      previous.time = now;
      previous.time_valid = time_valid;
    }
    std::vector<Field> fields = batch->schema()->fields();
    std::vector<std::shared_ptr<Column>> columns = batch->columns();
    for (size_t i = 0; i < outputs; ++i) {
      fields.push_back(Field{output_names_[i], DataType::Float64()});
      columns.push_back(builders[i]->Finish());
    }
    return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(columns),
                                         batch->num_rows()));
  }

 private:
  // Appends a difference, or the fill value (or null) when there is none.
  void Emit(bool has_difference, double difference, ColumnBuilder* builder) const {
    if (has_difference) {
      builder->Append(difference);
    } else if (options_.fill) {
      builder->Append(*options_.fill);
    } else {
      builder->AppendNull();
    }
  }

  const DifferenceLagOptions& options_;                     // Of the operator.
  const std::vector<std::string>& columns_;                 // Value columns.
  const std::vector<std::string>& output_names_;            // Value outputs, then the gap.
  std::unordered_map<std::string, PreviousRow> previous_;  // Per key: its latest row so far.
};

}  // namespace

Result<SchemaPtr> DifferenceLag::Bind(const SchemaPtr& input) {
  Status status = CheckKeyColumns(*input, options_.partition, options_.time, kind());
  if (!status.ok()) return status;
  int time_index = input->IndexOf(options_.time);
  if (!IsNumberLikeType(input->field(time_index).type)) {
    return Status::InvalidArgument("difference_lag: time column '" + options_.time + "' is not a number, date or timestamp");
  }
  auto columns = ResolveColumns(options_.columns, *input, IsNumericType, kind());
  if (!columns.ok()) return columns.status();
  columns_.clear();
  for (const std::string& name : *columns) {
    bool is_key = name == options_.time;
    for (const std::string& key : options_.partition) is_key |= name == key;
    if (!is_key || !options_.columns.patterns.empty()) columns_.push_back(name);
  }
  output_names_.clear();
  for (const std::string& name : columns_) output_names_.push_back(name + options_.suffix);
  if (options_.time_gap) output_names_.push_back(options_.time + options_.suffix);
  std::vector<Field> fields = input->fields();
  for (const std::string& name : output_names_) {
    if (input->IndexOf(name) >= 0) return Status::InvalidArgument("difference_lag: output column '" + name + "' already exists");
    fields.push_back(Field{name, DataType::Float64()});
  }
  if (output_names_.empty()) return Status::InvalidArgument("difference_lag: no value columns and no time_gap");
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::vector<std::string> DifferenceLag::inputs() const {
  std::vector<std::string> names = columns_;
  names.insert(names.end(), options_.partition.begin(), options_.partition.end());
  names.push_back(options_.time);
  return names;
}

std::unique_ptr<SequentialRun> DifferenceLag::NewRun() const {
  return std::make_unique<DifferenceLagRun>(options_, columns_, output_names_);
}

}  // namespace kiln::prep
