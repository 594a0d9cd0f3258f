#include "kiln/prep/join_groupby.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/row_id.h"

namespace kiln::prep {

namespace {

constexpr const char* kStatNames[] = {"count", "sum", "mean", "std", "min", "max"};
constexpr const char* kMomentNames[] = {"count", "mean", "m2", "min", "max", "sum"};

// The six numbers saved per (key, column), in kMomentNames order, to fill...
std::vector<double*> MomentFields(GroupStats* stats, size_t column) {
  ColumnMoments& m = stats->moments[column];
  return {&m.count, &m.mean, &m.m2, &m.min, &m.max, &stats->sums[column]};
}

// ...and to read.
std::array<double, 6> MomentValues(const GroupStats& stats, size_t column) {
  const ColumnMoments& m = stats.moments[column];
  return {m.count, m.mean, m.m2, m.min, m.max, stats.sums[column]};
}

class GroupAccumulator : public Accumulator {
 public:
  GroupAccumulator(std::vector<std::string> keys, std::vector<std::string> columns)
      : keys_(std::move(keys)), columns_(std::move(columns)) {}

  Status Update(const RecordBatch& batch) override {
    auto keys = FindKeyColumns(batch, keys_, "join_groupby");
    if (!keys.ok()) return keys.status();
    std::vector<std::vector<double>> values(columns_.size());
    std::vector<const Column*> columns;
    for (size_t c = 0; c < columns_.size(); ++c) {
      auto index = FindColumn(batch, columns_[c], "join_groupby");
      if (!index.ok()) return index.status();
      const Column& column = batch.column(*index);
      values[c].resize(column.length());
      bool numeric = VisitNumeric(column.type().id(), [&](auto tag) {
        const auto* in = column.data<decltype(tag)>();
        for (int64_t row = 0; row < column.length(); ++row) values[c][row] = static_cast<double>(in[row]);
      });
      if (!numeric) return Status::InvalidArgument("join_groupby: column '" + columns_[c] + "' is not numeric");
      columns.push_back(&column);
    }
    std::string key;
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      RowKey(*keys, row, &key);
      auto found = groups_.find(std::string_view(key));
      if (found == groups_.end()) found = groups_.emplace(key, Fresh()).first;
      GroupStats& stats = found->second;
      ++stats.rows;
      for (size_t c = 0; c < columns.size(); ++c) {
        double value = values[c][row];
        if (columns[c]->IsNull(row) || std::isnan(value)) continue;
        stats.moments[c].Add(value);
        stats.sums[c] += value;
      }
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    for (const auto& [key, stats] : static_cast<const GroupAccumulator&>(other).groups_) Add(key, stats);
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, groups_.size());
    for (const auto& [key, stats] : groups_) {
      PutText(out, key);
      PutValue(out, stats.rows);
      for (size_t c = 0; c < columns_.size(); ++c) {
        for (double value : MomentValues(stats, c)) PutValue(out, value);
      }
    }
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    uint64_t groups = reader.Get<uint64_t>();
    for (uint64_t g = 0; g < groups && reader.ok(); ++g) {
      std::string key(reader.GetText());
      GroupStats stats = Fresh();
      stats.rows = reader.Get<int64_t>();
      for (size_t c = 0; c < columns_.size(); ++c) {
        for (double* field : MomentFields(&stats, c)) *field = reader.Get<double>();
      }
      Add(key, stats);
    }
    return reader.ok() && reader.empty() ? Status::OK() : Status::Corruption("join_groupby: malformed statistics");
  }
  const RowKeyMap<GroupStats>& groups() const { return groups_; }

 private:
  GroupStats Fresh() const {
    GroupStats stats;
    stats.moments.resize(columns_.size());
    stats.sums.resize(columns_.size());
    return stats;
  }
  void Add(const std::string& key, const GroupStats& stats) {
    auto found = groups_.find(std::string_view(key));
    if (found == groups_.end()) {
      groups_.emplace(key, stats);
    } else {
      found->second.Merge(stats);
    }
  }

  std::vector<std::string> keys_;     // Key columns.
  std::vector<std::string> columns_;  // Aggregated columns.
  RowKeyMap<GroupStats> groups_;      // Key -> statistics.
};

std::string Join(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : "_") + name;
  return joined;
}

}  // namespace

bool ParseGroupStat(const std::string& name, GroupStat* stat) {
  for (int i = 0; i < 6; ++i) {
    if (name == kStatNames[i]) {
      *stat = static_cast<GroupStat>(i);
      return true;
    }
  }
  return false;
}

void GroupStats::Merge(const GroupStats& other) {
  rows += other.rows;
  for (size_t c = 0; c < moments.size(); ++c) {
    moments[c].Merge(other.moments[c]);
    sums[c] += other.sums[c];
  }
}

std::vector<std::string> JoinGroupby::inputs() const {
  std::vector<std::string> names = options_.keys;
  names.insert(names.end(), columns_.begin(), columns_.end());
  return names;
}

Result<SchemaPtr> JoinGroupby::Bind(const SchemaPtr& input) {
  if (options_.keys.empty()) return Status::InvalidArgument("join_groupby: give the key columns");
  if (options_.stats.empty()) return Status::InvalidArgument("join_groupby: give at least one stat");
  key_types_.clear();
  for (const std::string& name : options_.keys) {
    int index = input->IndexOf(name);
    if (index < 0 || name == kRowIdColumn) return Status::NotFound("join_groupby: no key column '" + name + "'");
    if (!IsKeyType(input->field(index).type)) {
      return Status::InvalidArgument("join_groupby: key column '" + name + "' has type " +
                                     input->field(index).type.ToString() + "; keys are integers or strings");
    }
    key_types_.push_back(input->field(index).type);
  }
  columns_.clear();
  if (!options_.columns.patterns.empty()) {
    auto columns = ResolveColumns(options_.columns, *input, IsNumericType, kind());
    if (!columns.ok()) return columns.status();
    columns_ = std::move(*columns);
  }
  std::string key = Join(options_.keys);
  outputs_.clear();
  output_names_.clear();
  std::vector<Field> fields = input->fields();
  auto add = [&](GroupStat stat, int column, std::string name, DataType type, bool nullable) -> Status {
    if (input->IndexOf(name) >= 0 ||
        std::find(output_names_.begin(), output_names_.end(), name) != output_names_.end()) {
      return Status::InvalidArgument("join_groupby: column '" + name + "' exists");
    }
    outputs_.push_back({stat, column});
    output_names_.push_back(name);
    fields.push_back(Field{std::move(name), std::move(type), nullable});
    return Status::OK();
  };
  for (GroupStat stat : options_.stats) {
    Status status;
    if (stat == GroupStat::kCount) {
      status = add(stat, -1, key + "_count", DataType::Int64(), false);
    } else {
      for (size_t c = 0; c < columns_.size() && status.ok(); ++c) {
        std::string name = key + "_" + columns_[c] + "_" + kStatNames[static_cast<int>(stat)];
        status = add(stat, static_cast<int>(c), name, DataType::Float64(), stat != GroupStat::kSum);
      }
    }
    if (!status.ok()) return status;
  }
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::unique_ptr<Accumulator> JoinGroupby::NewAccumulator() const {
  return std::make_unique<GroupAccumulator>(options_.keys, columns_);
}

Status JoinGroupby::Fit(const Accumulator& merged) {
  groups_ = static_cast<const GroupAccumulator&>(merged).groups();
  return Status::OK();
}

bool JoinGroupby::OutputValue(const Output& output, const GroupStats* stats, double* value) {
  *value = 0;
  if (output.stat == GroupStat::kCount) {
    *value = stats ? static_cast<double>(stats->rows) : 0;
    return true;
  }
  if (output.stat == GroupStat::kSum) {
    *value = stats ? stats->sums[output.column] : 0;
    return true;
  }
  if (stats == nullptr || stats->moments[output.column].count == 0) return false;
  const ColumnMoments& m = stats->moments[output.column];
  switch (output.stat) {
    case GroupStat::kMean: *value = m.mean; break;
    case GroupStat::kStd: *value = std::sqrt(m.m2 / m.count); break;
    case GroupStat::kMin: *value = m.min; break;
    default: *value = m.max; break;
  }
  return true;
}

Result<RecordBatchPtr> JoinGroupby::Transform(const RecordBatchPtr& batch) const {
  auto keys = FindKeyColumns(*batch, options_.keys, kind());
  if (!keys.ok()) return keys.status();
  const int64_t rows = batch->num_rows();
  std::vector<const GroupStats*> found(rows);
  std::string key;
  for (int64_t row = 0; row < rows; ++row) {
    RowKey(*keys, row, &key);
    auto entry = groups_.find(std::string_view(key));
    found[row] = entry == groups_.end() ? nullptr : &entry->second;
  }
  std::vector<Field> fields = batch->schema()->fields();
  std::vector<std::shared_ptr<Column>> columns = batch->columns();
  for (size_t o = 0; o < outputs_.size(); ++o) {
    bool count = outputs_[o].stat == GroupStat::kCount;
    ColumnBuilder builder(count ? DataType::Int64() : DataType::Float64());
    builder.Reserve(rows);
    double value;
    for (int64_t row = 0; row < rows; ++row) {
      if (!OutputValue(outputs_[o], found[row], &value)) {
        builder.AppendNull();
      } else if (count) {
        builder.Append(static_cast<int64_t>(value));
      } else {
        builder.Append(value);
      }
    }
    fields.push_back(Field{output_names_[o], builder.type(), !count && outputs_[o].stat != GroupStat::kSum});
    columns.push_back(builder.Finish());
  }
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(columns), rows));
}

Status JoinGroupby::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  std::vector<std::string_view> keys;
  for (const auto& entry : groups_) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  auto key_columns = DecodeRowKeys(keys, key_types_);
  if (!key_columns.ok()) return key_columns.status();
  std::vector<Field> fields;
  for (size_t k = 0; k < options_.keys.size(); ++k) fields.push_back({options_.keys[k], key_types_[k]});
  fields.push_back({"__rows", DataType::Int64()});
  ColumnBuilder rows(DataType::Int64());
  std::vector<std::unique_ptr<ColumnBuilder>> numbers;
  for (const std::string& column : columns_) {
    for (const char* name : kMomentNames) {
      fields.push_back({column + "." + name, DataType::Float64()});
      numbers.push_back(std::make_unique<ColumnBuilder>(DataType::Float64()));
    }
  }
  for (std::string_view key : keys) {
    const GroupStats& stats = groups_.find(key)->second;
    rows.Append(stats.rows);
    size_t n = 0;
    for (size_t c = 0; c < columns_.size(); ++c) {
      for (double value : MomentValues(stats, c)) numbers[n++]->Append(value);
    }
  }
  std::vector<std::shared_ptr<Column>> columns = std::move(*key_columns);
  columns.push_back(rows.Finish());
  for (auto& builder : numbers) columns.push_back(builder->Finish());
  auto schema = std::make_shared<Schema>(std::move(fields));
  auto batch = RecordBatch::Make(schema, std::move(columns));
  if (!batch.ok()) return batch.status();
  return writer->WriteTable(prefix + ".groups", Table(schema, {*batch}));
}

Status JoinGroupby::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  std::vector<Field> fields;
  for (size_t k = 0; k < options_.keys.size(); ++k) fields.push_back({options_.keys[k], key_types_[k]});
  fields.push_back({"__rows", DataType::Int64()});
  for (const std::string& column : columns_) {
    for (const char* name : kMomentNames) fields.push_back({column + "." + name, DataType::Float64()});
  }
  auto table = reader.ReadTable(prefix + ".groups", Schema(fields));
  if (!table.ok()) return table.status();
  groups_.clear();
  std::string key;
  for (const RecordBatchPtr& batch : table->batches()) {
    std::vector<const Column*> keys;
    for (const std::string& name : options_.keys) keys.push_back(&batch->column(batch->schema()->IndexOf(name)));
    const Column& rows = batch->column(batch->schema()->IndexOf("__rows"));
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      GroupStats stats;
      stats.rows = rows.Value<int64_t>(row);
      stats.moments.resize(columns_.size());
      stats.sums.resize(columns_.size());
      for (size_t c = 0; c < columns_.size(); ++c) {
        std::vector<double*> targets = MomentFields(&stats, c);
        for (size_t f = 0; f < targets.size(); ++f) {
          const Column& column = batch->column(batch->schema()->IndexOf(columns_[c] + "." + kMomentNames[f]));
          *targets[f] = column.Value<double>(row);
        }
      }
      RowKey(keys, row, &key);
      groups_.emplace(key, std::move(stats));
    }
  }
  return Status::OK();
}

}  // namespace kiln::prep
