#include "kiln/prep/target_encode.h"

#include <algorithm>
#include <cmath>

#include "kiln/core/column_builder.h"
#include "kiln/core/hash.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/column_selection.h"
#include "kiln/prep/row_id.h"

namespace kiln::prep {

// Per key group, key -> per (target, fold) count and sum (the layout of
// TargetEncode::Sums), plus the same over all rows.
class TargetAccumulator : public Accumulator {
 public:
  explicit TargetAccumulator(const TargetEncode& op)
      : op_(op), stats_(op.keys_.size()), totals_(op.slots(), 0.0) {}

  Status Update(const RecordBatch& batch) override {
    auto ids = RowIds(batch, "target_encode");
    if (!ids.ok()) return ids.status();
    std::vector<std::vector<double>> targets;
    std::vector<const Column*> target_columns;
    for (const std::string& name : op_.options_.targets) {
      auto index = FindColumn(batch, name, "target_encode");
      if (!index.ok()) return index.status();
      const Column& column = batch.column(*index);
      std::vector<double>& values = targets.emplace_back(column.length());
      bool numeric = VisitNumeric(column.type().id(), [&](auto tag) {
        const auto* in = column.data<decltype(tag)>();
        for (int64_t row = 0; row < column.length(); ++row) values[row] = static_cast<double>(in[row]);
      });
      if (!numeric) return Status::InvalidArgument("target_encode: target '" + name + "' is not numeric");
      target_columns.push_back(&column);
    }
    const int64_t rows = batch.num_rows();
    std::vector<int32_t> folds(rows);
    for (int64_t row = 0; row < rows; ++row) folds[row] = op_.FoldOf((*ids)[row]);
    std::vector<std::vector<const Column*>> key_columns;
    for (const auto& names : op_.keys_) {
      auto columns = FindKeyColumns(batch, names, "target_encode");
      if (!columns.ok()) return columns.status();
      key_columns.push_back(std::move(*columns));
    }
    std::string key;
    std::vector<std::vector<double>*> per_key(key_columns.size());  // The row's sums in each key group.
    for (int64_t row = 0; row < rows; ++row) {
      for (size_t g = 0; g < key_columns.size(); ++g) {
        RowKey(key_columns[g], row, &key);
        auto found = stats_[g].find(std::string_view(key));
        if (found == stats_[g].end()) found = stats_[g].emplace(key, std::vector<double>(op_.slots(), 0.0)).first;
        per_key[g] = &found->second;
      }
      for (size_t t = 0; t < targets.size(); ++t) {
        double value = targets[t][row];
        if (target_columns[t]->IsNull(row) || std::isnan(value)) continue;
        for (int fold : {folds[row], op_.options_.folds}) {
          int slot = op_.Slot(t, fold);
          totals_[slot] += 1;
          totals_[slot + 1] += value;
          for (size_t g = 0; g < per_key.size(); ++g) {
            (*per_key[g])[slot] += 1;
            (*per_key[g])[slot + 1] += value;
          }
        }
      }
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    const auto& theirs = static_cast<const TargetAccumulator&>(other);
    for (size_t g = 0; g < stats_.size(); ++g) {
      for (const auto& [key, sums] : theirs.stats_[g]) Add(&stats_[g], key, sums);
    }
    for (size_t i = 0; i < totals_.size(); ++i) totals_[i] += theirs.totals_[i];
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    for (double value : totals_) PutValue(out, value);
    for (const auto& group : stats_) {
      PutValue<uint64_t>(out, group.size());
      for (const auto& [key, sums] : group) {
        PutText(out, key);
        for (double value : sums) PutValue(out, value);
      }
    }
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    for (double& value : totals_) value += reader.Get<double>();
    std::vector<double> sums(op_.slots());
    for (auto& group : stats_) {
      uint64_t keys = reader.Get<uint64_t>();
      for (uint64_t k = 0; k < keys && reader.ok(); ++k) {
        std::string key(reader.GetText());
        for (double& value : sums) value = reader.Get<double>();
        Add(&group, key, sums);
      }
    }
    return reader.ok() && reader.empty() ? Status::OK() : Status::Corruption("target_encode: malformed statistics");
  }

  const std::vector<RowKeyMap<std::vector<double>>>& stats() const { return stats_; }
  const std::vector<double>& totals() const { return totals_; }

 private:
  static void Add(RowKeyMap<std::vector<double>>* group, const std::string& key, const std::vector<double>& sums) {
    auto found = group->find(std::string_view(key));
    if (found == group->end()) {
      group->emplace(key, sums);
      return;
    }
    for (size_t i = 0; i < sums.size(); ++i) found->second[i] += sums[i];
  }

  const TargetEncode& op_;                              // Layout and options.
  std::vector<RowKeyMap<std::vector<double>>> stats_;   // Per key group.
  std::vector<double> totals_;                          // Over all rows.
};

namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : "_") + name;
  return joined;
}

}  // namespace

int32_t TargetEncode::FoldOf(int64_t row_id) const {
  return static_cast<int32_t>(Mix64(HashCombine(options_.seed, static_cast<uint64_t>(row_id))) %
                              static_cast<uint64_t>(options_.folds));
}

std::vector<std::string> TargetEncode::inputs() const {
  std::vector<std::string> names = options_.columns;
  names.insert(names.end(), options_.targets.begin(), options_.targets.end());
  return names;
}

Result<SchemaPtr> TargetEncode::Bind(const SchemaPtr& input) {
  if (options_.columns.empty() || options_.targets.empty()) {
    return Status::InvalidArgument("target_encode: give the key columns and the target columns");
  }
  if (options_.folds < 2) return Status::InvalidArgument("target_encode: folds must be at least 2");
  if (!(options_.smoothing >= 0)) return Status::InvalidArgument("target_encode: smoothing must not be negative");
  for (const std::string& name : options_.targets) {
    int index = input->IndexOf(name);
    if (index < 0 || name == kRowIdColumn) return Status::NotFound("target_encode: no target column '" + name + "'");
    if (!IsNumericType(input->field(index).type)) {
      return Status::InvalidArgument("target_encode: target '" + name + "' is not numeric");
    }
  }
  keys_.clear();
  key_types_.clear();
  for (const std::string& name : options_.columns) {
    int index = input->IndexOf(name);
    if (index < 0 || name == kRowIdColumn) return Status::NotFound("target_encode: no key column '" + name + "'");
    if (!IsKeyType(input->field(index).type)) {
      return Status::InvalidArgument("target_encode: key column '" + name + "' has type " +
                                     input->field(index).type.ToString() + "; keys are integers or strings");
    }
    if (options_.joint && !keys_.empty()) {
      keys_[0].push_back(name);
      key_types_[0].push_back(input->field(index).type);
    } else {
      keys_.push_back({name});
      key_types_.push_back({input->field(index).type});
    }
  }
  std::vector<Field> fields = input->fields();
  output_names_.clear();
  for (const auto& key : keys_) {
    for (const std::string& target : options_.targets) {
      std::string name = JoinNames(key) + "_" + target + "_te";
      if (input->IndexOf(name) >= 0) return Status::InvalidArgument("target_encode: column '" + name + "' exists");
      output_names_.push_back(name);
      fields.push_back(Field{name, DataType::Float64(), false});
    }
  }
  stats_.assign(keys_.size(), {});
  totals_.assign(slots(), 0.0);
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::unique_ptr<Accumulator> TargetEncode::NewAccumulator() const { return std::make_unique<TargetAccumulator>(*this); }

Status TargetEncode::Fit(const Accumulator& merged) {
  const auto& accumulator = static_cast<const TargetAccumulator&>(merged);
  stats_ = accumulator.stats();
  totals_ = accumulator.totals();
  out_of_fold_ = true;
  return Status::OK();
}

Result<RecordBatchPtr> TargetEncode::Transform(const RecordBatchPtr& batch) const {
  const int64_t rows = batch->num_rows();
  std::vector<int32_t> folds(rows, options_.folds);  // Fold `folds`: the full data.
  if (out_of_fold_) {
    auto ids = RowIds(*batch, kind());
    if (!ids.ok()) return ids.status();
    for (int64_t row = 0; row < rows; ++row) folds[row] = FoldOf((*ids)[row]);
  }
  const double m = options_.smoothing;
  const int all = options_.folds;
  std::vector<Field> fields = batch->schema()->fields();
  std::vector<std::shared_ptr<Column>> columns = batch->columns();
  std::string key;
  size_t output = 0;
  for (size_t g = 0; g < keys_.size(); ++g) {
    auto key_columns = FindKeyColumns(*batch, keys_[g], kind());
    if (!key_columns.ok()) return key_columns.status();
    std::vector<const std::vector<double>*> found(rows);
    for (int64_t row = 0; row < rows; ++row) {
      RowKey(*key_columns, row, &key);
      auto entry = stats_[g].find(std::string_view(key));
      found[row] = entry == stats_[g].end() ? nullptr : &entry->second;
    }
    for (size_t t = 0; t < options_.targets.size(); ++t) {
      auto values = std::make_shared<Buffer>(rows * sizeof(double));
      double* out = values->mutable_as<double>();
      const int total = Slot(t, all);
      for (int64_t row = 0; row < rows; ++row) {
        // Statistics without the row's own fold: the total minus the fold (nothing to remove for the full data).
        const int own = Slot(t, folds[row]);
        const bool oof = folds[row] != all;
        double prior_count = totals_[total] - (oof ? totals_[own] : 0);
        double prior_sum = totals_[total + 1] - (oof ? totals_[own + 1] : 0);
        double prior = prior_count > 0 ? prior_sum / prior_count : 0;
        double count = 0, sum = 0;
        if (const std::vector<double>* sums = found[row]) {
          count = (*sums)[total] - (oof ? (*sums)[own] : 0);
          sum = (*sums)[total + 1] - (oof ? (*sums)[own + 1] : 0);
        }
        out[row] = count + m > 0 ? (sum + m * prior) / (count + m) : prior;
      }
      fields.push_back(Field{output_names_[output++], DataType::Float64(), false});
      columns.push_back(MakeFixedColumn(DataType::Float64(), rows, std::move(values), nullptr));
    }
  }
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(columns), rows));
}

Status TargetEncode::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  const int all = options_.folds;
  for (size_t t = 0; t < options_.targets.size(); ++t) {
    writer->SetNumber(prefix + "." + options_.targets[t] + ".count", totals_[Slot(t, all)]);
    writer->SetNumber(prefix + "." + options_.targets[t] + ".sum", totals_[Slot(t, all) + 1]);
  }
  for (size_t g = 0; g < keys_.size(); ++g) {
    std::vector<std::string_view> keys;
    for (const auto& entry : stats_[g]) keys.push_back(entry.first);
    std::sort(keys.begin(), keys.end());
    auto key_columns = DecodeRowKeys(keys, key_types_[g]);
    if (!key_columns.ok()) return key_columns.status();
    std::vector<Field> fields;
    for (size_t k = 0; k < keys_[g].size(); ++k) fields.push_back({keys_[g][k], key_types_[g][k]});
    std::vector<std::shared_ptr<Column>> columns = std::move(*key_columns);
    for (size_t t = 0; t < options_.targets.size(); ++t) {
      ColumnBuilder counts(DataType::Float64()), sums(DataType::Float64());
      for (std::string_view key : keys) {
        const std::vector<double>& values = stats_[g].find(key)->second;
        counts.Append(values[Slot(t, all)]);
        sums.Append(values[Slot(t, all) + 1]);
      }
      fields.push_back({options_.targets[t] + ".count", DataType::Float64()});
      fields.push_back({options_.targets[t] + ".sum", DataType::Float64()});
      columns.push_back(counts.Finish());
      columns.push_back(sums.Finish());
    }
    auto schema = std::make_shared<Schema>(std::move(fields));
    auto batch = RecordBatch::Make(schema, std::move(columns));
    if (!batch.ok()) return batch.status();
    Status status = writer->WriteTable(prefix + "." + JoinNames(keys_[g]), Table(schema, {*batch}));
    if (!status.ok()) return status;
  }
  return Status::OK();
}

Status TargetEncode::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  const int all = options_.folds;
  totals_.assign(slots(), 0.0);
  for (size_t t = 0; t < options_.targets.size(); ++t) {
    auto count = reader.Number(prefix + "." + options_.targets[t] + ".count");
    auto sum = reader.Number(prefix + "." + options_.targets[t] + ".sum");
    if (!count.ok()) return count.status();
    if (!sum.ok()) return sum.status();
    totals_[Slot(t, all)] = *count;
    totals_[Slot(t, all) + 1] = *sum;
  }
  std::string key;
  for (size_t g = 0; g < keys_.size(); ++g) {
    std::vector<Field> fields;
    for (size_t k = 0; k < keys_[g].size(); ++k) fields.push_back({keys_[g][k], key_types_[g][k]});
    for (const std::string& target : options_.targets) {
      fields.push_back({target + ".count", DataType::Float64()});
      fields.push_back({target + ".sum", DataType::Float64()});
    }
    auto table = reader.ReadTable(prefix + "." + JoinNames(keys_[g]), Schema(fields));
    if (!table.ok()) return table.status();
    stats_[g].clear();
    for (const RecordBatchPtr& batch : table->batches()) {
      const Schema& schema = *batch->schema();
      std::vector<const Column*> key_columns;
      for (const std::string& name : keys_[g]) key_columns.push_back(&batch->column(schema.IndexOf(name)));
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        std::vector<double> values(slots(), 0.0);
        for (size_t t = 0; t < options_.targets.size(); ++t) {
          values[Slot(t, all)] = batch->column(schema.IndexOf(options_.targets[t] + ".count")).Value<double>(row);
          values[Slot(t, all) + 1] = batch->column(schema.IndexOf(options_.targets[t] + ".sum")).Value<double>(row);
        }
        RowKey(key_columns, row, &key);
        stats_[g].emplace(key, std::move(values));
      }
    }
  }
  out_of_fold_ = false;
  return Status::OK();
}

}  // namespace kiln::prep
