#include "kiln/prep/count_encode.h"

#include <algorithm>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"

namespace kiln::prep {

namespace {

class CountAccumulator : public Accumulator {
 public:
  explicit CountAccumulator(std::vector<std::string> columns)
      : columns_(std::move(columns)), counts_(columns_.size()) {}

  Status Update(const RecordBatch& batch) override {
    std::string key;
    for (size_t i = 0; i < columns_.size(); ++i) {
      auto columns = FindKeyColumns(batch, {columns_[i]}, "count_encode");
      if (!columns.ok()) return columns.status();
      const Column& column = *(*columns)[0];
      for (int64_t row = 0; row < column.length(); ++row) {
        if (column.IsNull(row)) continue;
        RowKey(*columns, row, &key);
        auto found = counts_[i].find(std::string_view(key));
        if (found != counts_[i].end()) {
          ++found->second;
        } else {
          counts_[i].emplace(key, 1);
        }
      }
    }
    rows_ += batch.num_rows();
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    const auto& theirs = static_cast<const CountAccumulator&>(other);
    for (size_t i = 0; i < counts_.size(); ++i) {
      for (const auto& [key, count] : theirs.counts_[i]) counts_[i][key] += count;
    }
    rows_ += theirs.rows_;
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<int64_t>(out, rows_);
    PutValue<uint64_t>(out, counts_.size());
    for (const auto& counts : counts_) {
      PutValue<uint64_t>(out, counts.size());
      for (const auto& [key, count] : counts) {
        PutText(out, key);
        PutValue(out, count);
      }
    }
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    rows_ += reader.Get<int64_t>();
    if (reader.Get<uint64_t>() != counts_.size()) return Status::Corruption("count_encode: column count differs");
    for (auto& counts : counts_) {
      uint64_t entries = reader.Get<uint64_t>();
      for (uint64_t e = 0; e < entries && reader.ok(); ++e) {
        std::string key(reader.GetText());
        counts[key] += reader.Get<int64_t>();
      }
    }
    return reader.ok() ? Status::OK() : Status::Corruption("count_encode: truncated statistics");
  }

  const std::vector<RowKeyMap<int64_t>>& counts() const { return counts_; }
  int64_t rows() const { return rows_; }

 private:
  std::vector<std::string> columns_;        // In the operator's order.
  std::vector<RowKeyMap<int64_t>> counts_;  // Per column: value key -> count.
  int64_t rows_ = 0;                        // Rows seen, nulls included.
};

}  // namespace

Result<SchemaPtr> CountEncode::Bind(const SchemaPtr& input) {
  auto strings = [](const DataType& type) { return type.id() == TypeId::kString; };
  auto columns = options_.columns.patterns.empty() ? ResolveColumns(options_.columns, *input, strings, kind())
                                                   : ResolveColumns(options_.columns, *input, IsKeyType, kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  std::string suffix = !options_.suffix.empty() ? options_.suffix : options_.frequency ? "_freq" : "_count";
  DataType type = options_.frequency ? DataType::Float64() : DataType::Int64();
  std::vector<Field> fields = input->fields();
  types_.clear();
  outputs_.clear();
  for (const std::string& name : columns_) {
    types_.push_back(input->field(input->IndexOf(name)).type);
    outputs_.push_back(name + suffix);
    if (input->IndexOf(outputs_.back()) >= 0) {
      return Status::InvalidArgument(std::string(kind()) + ": column '" + outputs_.back() + "' exists");
    }
    fields.push_back(Field{outputs_.back(), type, false});
  }
  counts_.assign(columns_.size(), {});
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::unique_ptr<Accumulator> CountEncode::NewAccumulator() const {
  return std::make_unique<CountAccumulator>(columns_);
}

Status CountEncode::Fit(const Accumulator& merged) {
  const auto& accumulator = static_cast<const CountAccumulator&>(merged);
  counts_ = accumulator.counts();
  rows_ = accumulator.rows();
  return Status::OK();
}

Result<RecordBatchPtr> CountEncode::Transform(const RecordBatchPtr& batch) const {
  std::vector<Field> fields = batch->schema()->fields();
  std::vector<std::shared_ptr<Column>> out = batch->columns();
  std::string key;
  for (size_t i = 0; i < columns_.size(); ++i) {
    auto columns = FindKeyColumns(*batch, {columns_[i]}, kind());
    if (!columns.ok()) return columns.status();
    const Column& column = *(*columns)[0];
    const int64_t length = column.length();
    auto values = std::make_shared<Buffer>(length * 8);
    int64_t* counts = values->mutable_as<int64_t>();
    for (int64_t row = 0; row < length; ++row) {
      counts[row] = 0;
      if (column.IsNull(row)) continue;
      RowKey(*columns, row, &key);
      auto found = counts_[i].find(std::string_view(key));
      if (found != counts_[i].end()) counts[row] = found->second;
    }
    DataType type = DataType::Int64();
    if (options_.frequency) {
      type = DataType::Float64();
      double* frequencies = values->mutable_as<double>();
      for (int64_t row = 0; row < length; ++row) {
        frequencies[row] = rows_ > 0 ? static_cast<double>(counts[row]) / static_cast<double>(rows_) : 0.0;
      }
    }
    fields.push_back(Field{outputs_[i], type, false});
    out.push_back(MakeFixedColumn(type, length, std::move(values), nullptr));
  }
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(out),
                                                      batch->num_rows()));
}

Status CountEncode::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  writer->SetNumber(prefix + ".rows", static_cast<double>(rows_));
  for (size_t i = 0; i < columns_.size(); ++i) {
    std::vector<std::pair<std::string_view, int64_t>> entries(counts_[i].begin(), counts_[i].end());
    std::sort(entries.begin(), entries.end());
    std::vector<std::string_view> keys;
    ColumnBuilder counts(DataType::Int64());
    for (const auto& [key, count] : entries) {
      keys.push_back(key);
      counts.Append(count);
    }
    auto values = DecodeRowKeys(keys, {types_[i]});
    if (!values.ok()) return values.status();
    auto schema = std::make_shared<Schema>(std::vector<Field>{{"value", types_[i]}, {"count", DataType::Int64()}});
    auto batch = std::make_shared<RecordBatch>(schema, std::vector{(*values)[0], counts.Finish()},
                                               static_cast<int64_t>(keys.size()));
    Status status = writer->WriteTable(prefix + "." + columns_[i], Table(schema, {batch}));
    if (!status.ok()) return status;
  }
  return Status::OK();
}

Status CountEncode::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  auto rows = reader.Number(prefix + ".rows");
  if (!rows.ok()) return rows.status();
  rows_ = static_cast<int64_t>(*rows);
  std::string key;
  for (size_t i = 0; i < columns_.size(); ++i) {
    Schema schema({{"value", types_[i]}, {"count", DataType::Int64()}});
    auto table = reader.ReadTable(prefix + "." + columns_[i], schema);
    if (!table.ok()) return table.status();
    counts_[i].clear();
    for (const RecordBatchPtr& batch : table->batches()) {
      std::vector<const Column*> value{&batch->column(batch->schema()->IndexOf("value"))};
      const Column& count = batch->column(batch->schema()->IndexOf("count"));
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        RowKey(value, row, &key);
        counts_[i][key] = count.Value<int64_t>(row);
      }
    }
  }
  return Status::OK();
}

}  // namespace kiln::prep
