#include "kiln/prep/categorify.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/multi_value.h"
#include "kiln/prep/open_hash_map.h"

namespace kiln::prep {

namespace {

constexpr int64_t kPrefetchDistance = 16;  // Rows between a prefetch and its lookup.

bool Categorical(const DataType& type) { return IsIntegerType(type) || type.id() == TypeId::kString; }

// Column `name` of `batch`, checked to have the type seen by Bind().
Result<std::shared_ptr<Column>> CheckedColumn(const RecordBatch& batch, const std::string& name,
                                              const DataType& type) {
  auto index = FindColumn(batch, name, "categorify");
  if (!index.ok()) return index.status();
  const std::shared_ptr<Column>& column = batch.column_ptr(*index);
  if (column->type() != type) {
    return Status::InvalidArgument("categorify: column '" + name + "' is " + column->type().ToString() +
                                   ", but the dictionary was made for " + type.ToString());
  }
  return column;
}

// Hash and equality that let string maps be probed with string_views.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
};
using StringCounts = std::unordered_map<std::string, int64_t, TextHash, std::equal_to<>>;

// The dictionary: candidates by count, cut to max_size, then in the final order.
template <typename K>
std::vector<std::pair<K, int64_t>> OrderDictionary(std::vector<std::pair<K, int64_t>> entries,
                                                   const CategorifyOptions& options) {
  std::erase_if(entries, [&](const auto& entry) { return entry.second < options.min_freq; });
  auto by_frequency = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  std::sort(entries.begin(), entries.end(), by_frequency);
  if (options.max_size > 0 && static_cast<int64_t>(entries.size()) > options.max_size) {
    entries.resize(options.max_size);
  }
  if (options.order == CategoryOrder::kValue) {
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  return entries;
}

template <typename K>
Table DictionaryTable(const std::vector<std::pair<K, int64_t>>& entries, const DataType& type) {
  ColumnBuilder values(type), counts(DataType::Int64());
  for (const auto& [value, count] : entries) {
    if constexpr (std::is_same_v<K, std::string>) {
      values.AppendString(value);
    } else {
      values.Append(value);
    }
    counts.Append(count);
  }
  auto schema = std::make_shared<Schema>(
      std::vector<Field>{{"value", type, false}, {"count", DataType::Int64(), false}});
  int64_t rows = static_cast<int64_t>(entries.size());
  return Table(schema, {std::make_shared<RecordBatch>(schema, std::vector{values.Finish(), counts.Finish()}, rows)});
}

}  // namespace

// Counts the values of one column.
class ValueCounter {
 public:
  virtual ~ValueCounter() = default;
  virtual void Add(const Column& column) = 0;
  virtual void Merge(const ValueCounter& other) = 0;
  virtual void Serialize(std::string* out) const = 0;
  virtual void MergeSerialized(ByteReader* reader) = 0;
  // The dictionary as a (value, count) table in id order.
  virtual Table Finish(const CategorifyOptions& options, const DataType& type) const = 0;
};

// Maps the values of one column to ids.
class ValueEncoder {
 public:
  virtual ~ValueEncoder() = default;
  virtual int64_t size() const = 0;
  // REQUIRES: column has the dictionary's value type.
  virtual std::shared_ptr<Column> Encode(const Column& column, int32_t null_id, int32_t oov_id) const = 0;
  virtual const Table& dictionary() const = 0;
};

namespace {

template <typename K>
class IntCounter : public ValueCounter {
 public:
  void Add(const Column& column) override {
    const K* values = column.data<K>();
    int64_t length = column.length();
    // Prefetching kPrefetchDistance rows ahead hides the cache misses of
    // maps larger than the cache (high-cardinality columns).
    int64_t ahead = std::min(length, kPrefetchDistance);
    for (int64_t row = 0; row < ahead; ++row) counts_.Prefetch(values[row]);
    const bool nulls = column.null_count() > 0;
    for (int64_t row = 0; row < length; ++row) {
      if (row + kPrefetchDistance < length) counts_.Prefetch(values[row + kPrefetchDistance]);
      if (!nulls || column.IsValid(row)) ++counts_[values[row]];
    }
  }
  void Merge(const ValueCounter& other) override {
    const auto& theirs = static_cast<const IntCounter&>(other).counts_;
    counts_.Reserve(counts_.size() + theirs.size());
    theirs.ForEach([&](K key, int64_t count) { counts_[key] += count; });
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, counts_.size());
    counts_.ForEach([&](K key, int64_t count) {
      PutValue(out, key);
      PutValue(out, count);
    });
  }
  void MergeSerialized(ByteReader* reader) override {
    uint64_t entries = reader->Get<uint64_t>();
    for (uint64_t i = 0; i < entries && reader->ok(); ++i) {
      K key = reader->Get<K>();
      counts_[key] += reader->Get<int64_t>();
    }
  }
  Table Finish(const CategorifyOptions& options, const DataType& type) const override {
    std::vector<std::pair<K, int64_t>> entries;
    entries.reserve(counts_.size());
    counts_.ForEach([&](K key, int64_t count) { entries.emplace_back(key, count); });
    return DictionaryTable(OrderDictionary(std::move(entries), options), type);
  }

 private:
  OpenHashMap<K, int64_t> counts_;  // Value -> occurrences.
};

class StringCounter : public ValueCounter {
 public:
  void Add(const Column& column) override {
    for (int64_t row = 0; row < column.length(); ++row) {
      if (column.IsNull(row)) continue;
      std::string_view value = column.GetString(row);
      auto found = counts_.find(value);
      if (found != counts_.end()) {
        ++found->second;
      } else {
        counts_.emplace(std::string(value), 1);
      }
    }
  }
  void Merge(const ValueCounter& other) override {
    for (const auto& [value, count] : static_cast<const StringCounter&>(other).counts_) counts_[value] += count;
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, counts_.size());
    for (const auto& [value, count] : counts_) {
      PutText(out, value);
      PutValue(out, count);
    }
  }
  void MergeSerialized(ByteReader* reader) override {
    uint64_t entries = reader->Get<uint64_t>();
    for (uint64_t i = 0; i < entries && reader->ok(); ++i) {
      std::string value(reader->GetText());
      counts_[value] += reader->Get<int64_t>();
    }
  }
  Table Finish(const CategorifyOptions& options, const DataType& type) const override {
    std::vector<std::pair<std::string, int64_t>> entries(counts_.begin(), counts_.end());
    return DictionaryTable(OrderDictionary(std::move(entries), options), type);
  }

 private:
  StringCounts counts_;  // Value -> occurrences.
};

// Ids are first_id + the row of the value in the dictionary table.
template <typename K>
class IntEncoder : public ValueEncoder {
 public:
  IntEncoder(Table dictionary, int32_t first_id) : dictionary_(std::move(dictionary)) {
    ids_.Reserve(dictionary_.num_rows());
    int32_t id = first_id;
    for (const RecordBatchPtr& batch : dictionary_.batches()) {
      const K* values = batch->column(0).data<K>();
      for (int64_t row = 0; row < batch->num_rows(); ++row) ids_[values[row]] = id++;
    }
  }
  int64_t size() const override { return dictionary_.num_rows(); }
  const Table& dictionary() const override { return dictionary_; }
  std::shared_ptr<Column> Encode(const Column& column, int32_t null_id, int32_t oov_id) const override {
    int64_t length = column.length();
    auto buffer = std::make_shared<Buffer>(length * sizeof(int32_t));
    int32_t* out = buffer->mutable_as<int32_t>();
    const K* values = column.data<K>();
    const bool nulls = column.null_count() > 0;
    int64_t ahead = std::min(length, kPrefetchDistance);
    for (int64_t row = 0; row < ahead; ++row) ids_.Prefetch(values[row]);
    for (int64_t row = 0; row < length; ++row) {
      if (row + kPrefetchDistance < length) ids_.Prefetch(values[row + kPrefetchDistance]);
      if (nulls && column.IsNull(row)) {
        out[row] = null_id;
        continue;
      }
      const int32_t* id = ids_.Find(values[row]);
      out[row] = id ? *id : oov_id;
    }
    return MakeFixedColumn(DataType::Int32(), length, std::move(buffer), nullptr);
  }

 private:
  Table dictionary_;              // (value, count) in id order.
  OpenHashMap<K, int32_t> ids_;   // Value -> id.
};

class StringEncoder : public ValueEncoder {
 public:
  StringEncoder(Table dictionary, int32_t first_id) : dictionary_(std::move(dictionary)) {
    int32_t id = first_id;
    for (const RecordBatchPtr& batch : dictionary_.batches()) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) ids_.emplace(batch->column(0).GetString(row), id++);
    }
  }
  int64_t size() const override { return dictionary_.num_rows(); }
  const Table& dictionary() const override { return dictionary_; }
  std::shared_ptr<Column> Encode(const Column& column, int32_t null_id, int32_t oov_id) const override {
    int64_t length = column.length();
    auto buffer = std::make_shared<Buffer>(length * sizeof(int32_t));
    int32_t* out = buffer->mutable_as<int32_t>();
    for (int64_t row = 0; row < length; ++row) {
      if (column.IsNull(row)) {
        out[row] = null_id;
        continue;
      }
      auto found = ids_.find(column.GetString(row));
      out[row] = found != ids_.end() ? static_cast<int32_t>(found->second) : oov_id;
    }
    return MakeFixedColumn(DataType::Int32(), length, std::move(buffer), nullptr);
  }

 private:
  Table dictionary_;  // (value, count) in id order.
  StringCounts ids_;  // Value -> id.
};

std::unique_ptr<ValueCounter> NewCounter(const DataType& type) {
  switch (type.id()) {
    case TypeId::kInt32: return std::make_unique<IntCounter<int32_t>>();
    case TypeId::kInt64: return std::make_unique<IntCounter<int64_t>>();
    case TypeId::kUInt32: return std::make_unique<IntCounter<uint32_t>>();
    case TypeId::kUInt64: return std::make_unique<IntCounter<uint64_t>>();
    default: return std::make_unique<StringCounter>();
  }
}

std::unique_ptr<ValueEncoder> NewEncoder(const DataType& type, Table dictionary, int32_t first_id) {
  switch (type.id()) {
    case TypeId::kInt32: return std::make_unique<IntEncoder<int32_t>>(std::move(dictionary), first_id);
    case TypeId::kInt64: return std::make_unique<IntEncoder<int64_t>>(std::move(dictionary), first_id);
    case TypeId::kUInt32: return std::make_unique<IntEncoder<uint32_t>>(std::move(dictionary), first_id);
    case TypeId::kUInt64: return std::make_unique<IntEncoder<uint64_t>>(std::move(dictionary), first_id);
    default: return std::make_unique<StringEncoder>(std::move(dictionary), first_id);
  }
}

class CategoryAccumulator : public Accumulator {
 public:
  // Per column: name, input type, dictionary index; one counter per dictionary.
  CategoryAccumulator(const std::vector<std::string>& columns, const std::vector<DataType>& types,
                      const std::vector<int>& dictionary_of, const std::vector<DataType>& value_types,
                      std::string separator)
      : columns_(columns), types_(types), dictionary_of_(dictionary_of), separator_(std::move(separator)) {
    for (const DataType& type : value_types) counters_.push_back(NewCounter(type));
  }

  Status Update(const RecordBatch& batch) override {
    for (size_t i = 0; i < columns_.size(); ++i) {
      auto column = CheckedColumn(batch, columns_[i], types_[i]);
      if (!column.ok()) return column.status();
      counters_[dictionary_of_[i]]->Add(*Flatten(*column, separator_).elements);
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    const auto& theirs = static_cast<const CategoryAccumulator&>(other).counters_;
    for (size_t i = 0; i < counters_.size(); ++i) counters_[i]->Merge(*theirs[i]);
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, counters_.size());
    for (const auto& counter : counters_) counter->Serialize(out);
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    if (reader.Get<uint64_t>() != counters_.size()) return Status::Corruption("categorify: dictionary count differs");
    for (const auto& counter : counters_) counter->MergeSerialized(&reader);
    return reader.ok() ? Status::OK() : Status::Corruption("categorify: truncated statistics");
  }
  const ValueCounter& counter(size_t dictionary) const { return *counters_[dictionary]; }

 private:
  std::vector<std::string> columns_;                     // In the operator's order.
  std::vector<DataType> types_;                          // Of each column.
  std::vector<int> dictionary_of_;                       // Of each column.
  std::string separator_;                                // Of multi-value string columns.
  std::vector<std::unique_ptr<ValueCounter>> counters_;  // One per dictionary.
};

}  // namespace

Categorify::Categorify(CategorifyOptions options) : options_(std::move(options)) {}
Categorify::~Categorify() = default;

Result<SchemaPtr> Categorify::Bind(const SchemaPtr& input) {
  if (options_.min_freq < 1) return Status::InvalidArgument("categorify: min_freq must be at least 1");
  if (options_.max_size < 0) return Status::InvalidArgument("categorify: max_size must not be negative");
  if (options_.null_id < 0 || options_.oov_id < 0) return Status::InvalidArgument("categorify: ids must not be negative");
  ColumnSelection selection = options_.columns;
  auto columns = selection.patterns.empty()
                     ? ResolveColumns(selection, *input,
                                      [](const DataType& t) { return ElementType(t).id() == TypeId::kString; }, kind())
                     : ResolveColumns(selection, *input, [](const DataType& t) { return Categorical(ElementType(t)); },
                                      kind());
  if (!columns.ok()) return columns.status();
  columns_ = std::move(*columns);
  types_.clear();
  dictionary_of_.clear();
  value_types_.clear();
  dictionary_names_.clear();
  std::vector<Field> fields = input->fields();
  for (const std::string& name : columns_) {
    Field& field = fields[input->IndexOf(name)];
    DataType value_type = ElementType(field.type);
    if (options_.joint && !value_types_.empty() && value_types_[0] != value_type) {
      return Status::InvalidArgument("categorify: joint columns share one dictionary, but '" + columns_[0] +
                                     "' holds " + value_types_[0].ToString() + " and '" + name + "' holds " +
                                     value_type.ToString());
    }
    if (!options_.joint || value_types_.empty()) {
      value_types_.push_back(value_type);
      dictionary_names_.push_back(name);
    }
    dictionary_of_.push_back(static_cast<int>(value_types_.size()) - 1);
    types_.push_back(field.type);
    field.type = IsMultiValue(field.type, options_.separator) ? DataType::List(DataType::Int32()) : DataType::Int32();
  }
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::unique_ptr<Accumulator> Categorify::NewAccumulator() const {
  return std::make_unique<CategoryAccumulator>(columns_, types_, dictionary_of_, value_types_, options_.separator);
}

Status Categorify::Fit(const Accumulator& merged) {
  const auto& accumulator = static_cast<const CategoryAccumulator&>(merged);
  int32_t first_id = std::max(options_.null_id, options_.oov_id) + 1;
  encoders_.clear();
  for (size_t i = 0; i < value_types_.size(); ++i) {
    Table dictionary = accumulator.counter(i).Finish(options_, value_types_[i]);
    if (dictionary.num_rows() > INT32_MAX - first_id) {
      return Status::NotSupported("categorify: column '" + dictionary_names_[i] + "' has more values than int32 ids");
    }
    encoders_.push_back(NewEncoder(value_types_[i], std::move(dictionary), first_id));
  }
  return Status::OK();
}

Result<RecordBatchPtr> Categorify::Transform(const RecordBatchPtr& batch) const {
  std::vector<std::pair<int, std::shared_ptr<Column>>> replacements;
  for (size_t i = 0; i < columns_.size(); ++i) {
    auto column = CheckedColumn(*batch, columns_[i], types_[i]);
    if (!column.ok()) return column.status();
    FlatValues flat = Flatten(*column, options_.separator);
    auto ids = encoders_[dictionary_of_[i]]->Encode(*flat.elements, options_.null_id, options_.oov_id);
    replacements.emplace_back(batch->schema()->IndexOf(columns_[i]), Unflatten(flat, std::move(ids)));
  }
  return ReplaceColumns(*batch, replacements);
}

Status Categorify::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  for (size_t i = 0; i < encoders_.size(); ++i) {
    std::string name = prefix + "." + dictionary_names_[i];
    Status status = writer->WriteTable(name, encoders_[i]->dictionary());
    if (!status.ok()) return status;
    writer->SetNumber(name + ".size", static_cast<double>(encoders_[i]->size()));
  }
  return Status::OK();
}

Status Categorify::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  int32_t first_id = std::max(options_.null_id, options_.oov_id) + 1;
  encoders_.clear();
  for (size_t i = 0; i < value_types_.size(); ++i) {
    std::string name = prefix + "." + dictionary_names_[i];
    Schema schema({{"value", value_types_[i], false}, {"count", DataType::Int64(), false}});
    auto table = reader.ReadTable(name, schema);
    if (!table.ok()) return table.status();
    auto size = reader.Number(name + ".size");
    if (!size.ok()) return size.status();
    if (table->num_rows() != static_cast<int64_t>(*size)) {
      return Status::Corruption(reader.directory() + ": dictionary '" + name + "' has " +
                                std::to_string(table->num_rows()) + " values, state.json says " +
                                std::to_string(static_cast<int64_t>(*size)));
    }
    encoders_.push_back(NewEncoder(value_types_[i], std::move(*table), first_id));
  }
  return Status::OK();
}

std::vector<int64_t> Categorify::dictionary_sizes() const {
  std::vector<int64_t> sizes;
  for (int dictionary : dictionary_of_) sizes.push_back(encoders_[dictionary]->size());
  return sizes;
}

}  // namespace kiln::prep
