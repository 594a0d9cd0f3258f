#include "kiln/prep/negative_sample.h"

#include <algorithm>
#include <cstring>

#include "kiln/core/column_builder.h"
#include "kiln/core/hash.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/column_selection.h"
#include "kiln/prep/row_id.h"
#include "kiln/prep/row_keys.h"
#include "kiln/prep/take_rows.h"

namespace kiln::prep {

namespace {

constexpr char kCountColumn[] = "__count";

// One pool item: how often it occurred, and its first row's attributes.
struct PoolEntry {
  int64_t count = 0;
  int64_t first_row = INT64_MAX;  // Smallest row id seen.
  std::string attributes;         // RowKey of the attribute columns at first_row.

  void Merge(const PoolEntry& other) {
    count += other.count;
    if (other.first_row < first_row) {
      first_row = other.first_row;
      attributes = other.attributes;
    }
  }
};

class PoolAccumulator : public Accumulator {
 public:
  PoolAccumulator(std::string item, std::vector<std::string> attributes)
      : item_(std::move(item)), attributes_(std::move(attributes)) {}

  Status Update(const RecordBatch& batch) override {
    auto ids = RowIds(batch, "negative_sample");
    if (!ids.ok()) return ids.status();
    auto item = FindKeyColumns(batch, {item_}, "negative_sample");
    if (!item.ok()) return item.status();
    std::vector<const Column*> attributes;
    for (const std::string& name : attributes_) {
      auto index = FindColumn(batch, name, "negative_sample");
      if (!index.ok()) return index.status();
      attributes.push_back(&batch.column(*index));
    }
    std::string key;
    PoolEntry entry;
    entry.count = 1;
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      if ((*item)[0]->IsNull(row)) continue;
      RowKey(*item, row, &key);
      entry.first_row = (*ids)[row];
      auto found = pool_.find(std::string_view(key));
      if (found != pool_.end() && found->second.first_row < entry.first_row) {
        ++found->second.count;
        continue;
      }
      RowKey(attributes, row, &entry.attributes);
      Add(key, entry);
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    for (const auto& [key, entry] : static_cast<const PoolAccumulator&>(other).pool_) Add(key, entry);
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, pool_.size());
    for (const auto& [key, entry] : pool_) {
      PutText(out, key);
      PutValue(out, entry.count);
      PutValue(out, entry.first_row);
      PutText(out, entry.attributes);
    }
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    uint64_t items = reader.Get<uint64_t>();
    for (uint64_t i = 0; i < items && reader.ok(); ++i) {
      std::string key(reader.GetText());
      PoolEntry entry;
      entry.count = reader.Get<int64_t>();
      entry.first_row = reader.Get<int64_t>();
      entry.attributes = std::string(reader.GetText());
      Add(key, entry);
    }
    return reader.ok() && reader.empty() ? Status::OK() : Status::Corruption("negative_sample: malformed statistics");
  }
  const RowKeyMap<PoolEntry>& pool() const { return pool_; }

 private:
  void Add(const std::string& key, const PoolEntry& entry) {
    auto found = pool_.find(std::string_view(key));
    if (found == pool_.end()) {
      pool_.emplace(key, entry);
    } else {
      found->second.Merge(entry);
    }
  }

  std::string item_;                     // Item column.
  std::vector<std::string> attributes_;  // Attribute columns.
  RowKeyMap<PoolEntry> pool_;            // Item key -> entry.
};

// The label column's zero of its own type.
std::shared_ptr<Column> LabelColumn(const Column& source, const std::vector<int64_t>& rows,
                                    const std::vector<uint8_t>& negative) {
  std::shared_ptr<Column> taken = TakeColumn(source, rows);
  auto values = std::make_shared<Buffer>(taken->length() * source.type().byte_width());
  std::memcpy(values->data(), taken->data<uint8_t>(), values->size());
  const int width = source.type().byte_width();
  std::shared_ptr<Buffer> validity = CopyValidity(*taken);
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!negative[i]) continue;
    std::memset(values->data() + i * width, 0, width);  // Zero bits are 0 for every numeric type.
    if (validity) bitmap::Set(validity->data(), static_cast<int64_t>(i));
  }
  return MakeFixedColumn(source.type(), taken->length(), std::move(values), std::move(validity));
}

}  // namespace

std::vector<std::string> NegativeSample::inputs() const {
  std::vector<std::string> names = pool_columns_;
  names.push_back(options_.label);
  return names;
}

std::vector<std::string> NegativeSample::outputs() const {
  std::vector<std::string> names = pool_columns_;
  names.push_back(options_.label);
  return names;
}

Result<SchemaPtr> NegativeSample::Bind(const SchemaPtr& input) {
  if (options_.negatives < 0) return Status::InvalidArgument("negative_sample: negatives must not be negative");
  if (options_.max_resample < 0) return Status::InvalidArgument("negative_sample: max_resample must not be negative");
  int label = input->IndexOf(options_.label);
  if (label < 0) return Status::NotFound("negative_sample: no label column '" + options_.label + "'");
  if (!IsNumericType(input->field(label).type)) {
    return Status::InvalidArgument("negative_sample: label column '" + options_.label + "' is not numeric");
  }
  pool_columns_ = {options_.item};
  pool_columns_.insert(pool_columns_.end(), options_.item_columns.begin(), options_.item_columns.end());
  pool_types_.clear();
  for (size_t i = 0; i < pool_columns_.size(); ++i) {
    const std::string& name = pool_columns_[i];
    int index = input->IndexOf(name);
    if (index < 0 || name == kRowIdColumn) return Status::NotFound("negative_sample: no column '" + name + "'");
    const DataType& type = input->field(index).type;
    bool ok = i == 0 ? IsKeyType(type) : IsRowValueType(type);
    if (!ok || name == options_.label) {
      return Status::InvalidArgument("negative_sample: column '" + name + "' has type " + type.ToString() +
                                     (i == 0 ? "; items are integers or strings" : "; attributes are numbers or strings"));
    }
    pool_types_.push_back(type);
  }
  return input;
}

std::unique_ptr<Accumulator> NegativeSample::NewAccumulator() const {
  return std::make_unique<PoolAccumulator>(options_.item, options_.item_columns);
}

Status NegativeSample::Fit(const Accumulator& merged) {
  const auto& pool = static_cast<const PoolAccumulator&>(merged).pool();
  std::vector<std::string_view> items;
  for (const auto& entry : pool) items.push_back(entry.first);
  std::sort(items.begin(), items.end());
  std::vector<std::string_view> attributes;
  ColumnBuilder counts(DataType::Int64());
  for (std::string_view item : items) {
    const PoolEntry& entry = pool.find(item)->second;
    attributes.push_back(entry.attributes);
    counts.Append(entry.count);
  }
  auto item_columns = DecodeRowKeys(items, {pool_types_[0]});
  auto attribute_columns =
      DecodeRowKeys(attributes, std::vector<DataType>(pool_types_.begin() + 1, pool_types_.end()));
  if (!item_columns.ok()) return item_columns.status();
  if (!attribute_columns.ok()) return attribute_columns.status();
  std::vector<Field> fields;
  for (size_t i = 0; i < pool_columns_.size(); ++i) fields.push_back({pool_columns_[i], pool_types_[i]});
  fields.push_back({kCountColumn, DataType::Int64()});
  std::vector<std::shared_ptr<Column>> columns = std::move(*item_columns);
  columns.insert(columns.end(), attribute_columns->begin(), attribute_columns->end());
  columns.push_back(counts.Finish());
  auto batch = RecordBatch::Make(std::make_shared<Schema>(std::move(fields)), std::move(columns));
  if (!batch.ok()) return batch.status();
  return UsePool(*batch);
}

Status NegativeSample::UsePool(RecordBatchPtr pool) {
  pool_ = std::move(pool);
  pool_keys_.assign(pool_->num_rows(), {});
  cumulative_.assign(pool_->num_rows(), 0);
  std::vector<const Column*> item{&pool_->column(0)};
  const Column& counts = pool_->column(pool_->num_columns() - 1);
  int64_t total = 0;
  for (int64_t row = 0; row < pool_->num_rows(); ++row) {
    if (item[0]->IsNull(row)) return Status::Corruption("negative_sample: the item pool holds a null item");
    RowKey(item, row, &pool_keys_[row]);
    total += std::max<int64_t>(counts.Value<int64_t>(row), 0);
    cumulative_[row] = total;
  }
  return Status::OK();
}

int64_t NegativeSample::Draw(int64_t row_id, int32_t draw, const std::string& own) const {
  const uint64_t base = HashCombine(HashCombine(options_.seed, static_cast<uint64_t>(row_id)), draw);
  const int64_t size = pool_->num_rows();
  for (int32_t attempt = 0; attempt <= options_.max_resample; ++attempt) {
    uint64_t bits = HashCombine(base, attempt);
    int64_t chosen;
    if (options_.popularity && cumulative_.back() > 0) {
      int64_t target = static_cast<int64_t>(bits % static_cast<uint64_t>(cumulative_.back()));
      chosen = std::upper_bound(cumulative_.begin(), cumulative_.end(), target) - cumulative_.begin();
    } else {
      chosen = static_cast<int64_t>(bits % static_cast<uint64_t>(size));
    }
    if (pool_keys_[chosen] != own) return chosen;
  }
  return -1;
}

Result<RecordBatchPtr> NegativeSample::Transform(const RecordBatchPtr& batch) const {
  auto ids = RowIds(*batch, kind());
  if (!ids.ok()) return ids.status();
  auto label_index = FindColumn(*batch, options_.label, kind());
  if (!label_index.ok()) return label_index.status();
  const Column& label = batch->column(*label_index);
  auto item = FindKeyColumns(*batch, {options_.item}, kind());
  if (!item.ok()) return item.status();
  std::vector<double> labels(batch->num_rows());
  bool numeric = VisitNumeric(label.type().id(), [&](auto tag) {
    const auto* in = label.data<decltype(tag)>();
    for (int64_t row = 0; row < label.length(); ++row) labels[row] = static_cast<double>(in[row]);
  });
  if (!numeric) return Status::InvalidArgument("negative_sample: label column '" + options_.label + "' is not numeric");
  // Output rows: the input row they copy, and the pool row of a negative (-1: none).
  std::vector<int64_t> rows;
  std::vector<int64_t> pool_rows;
  std::string own;
  for (int64_t row = 0; row < batch->num_rows(); ++row) {
    rows.push_back(row);
    pool_rows.push_back(-1);
    bool positive = label.IsValid(row) && labels[row] == options_.positive_value;
    if (!positive || pool_size() == 0) continue;
    RowKey(*item, row, &own);
    for (int32_t draw = 0; draw < options_.negatives; ++draw) {
      int64_t chosen = Draw((*ids)[row], draw, own);
      if (chosen < 0) continue;
      rows.push_back(row);
      pool_rows.push_back(chosen);
    }
  }
  if (rows.size() == static_cast<size_t>(batch->num_rows())) return batch;
  RecordBatchPtr out = TakeRows(*batch, rows);
  std::vector<uint8_t> negative(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) negative[i] = pool_rows[i] >= 0;
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  replacements.emplace_back(*label_index, LabelColumn(label, rows, negative));
  for (size_t p = 0; p < pool_columns_.size(); ++p) {
    auto index = FindColumn(*batch, pool_columns_[p], kind());
    if (!index.ok()) return index.status();
    const Column& source = batch->column(*index);
    const Column& from_pool = pool_->column(static_cast<int>(p));
    if (source.type() != from_pool.type()) {
      return Status::InvalidArgument("negative_sample: column '" + pool_columns_[p] + "' is " +
                                     source.type().ToString() + ", the pool holds " + from_pool.type().ToString());
    }
    ColumnBuilder builder(source.type());
    builder.Reserve(static_cast<int64_t>(rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
      if (negative[i]) {
        builder.AppendFrom(from_pool, pool_rows[i]);
      } else {
        builder.AppendFrom(source, rows[i]);
      }
    }
    replacements.emplace_back(*index, builder.Finish());
  }
  return ReplaceColumns(*out, replacements);
}

Status NegativeSample::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  return writer->WriteTable(prefix + ".pool", Table(pool_->schema(), {pool_}));
}

Status NegativeSample::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  std::vector<Field> fields;
  for (size_t i = 0; i < pool_columns_.size(); ++i) fields.push_back({pool_columns_[i], pool_types_[i]});
  fields.push_back({kCountColumn, DataType::Int64()});
  auto table = reader.ReadTable(prefix + ".pool", Schema(fields));
  if (!table.ok()) return table.status();
  // Keep only the pool's own columns, in their order.
  RecordBatchPtr combined = table->Combine();
  std::vector<std::shared_ptr<Column>> columns;
  for (const Field& field : fields) columns.push_back(combined->column_ptr(combined->schema()->IndexOf(field.name)));
  auto batch = RecordBatch::Make(std::make_shared<Schema>(std::move(fields)), std::move(columns));
  if (!batch.ok()) return batch.status();
  return UsePool(*batch);
}

}  // namespace kiln::prep
