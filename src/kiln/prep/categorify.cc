#include "kiln/prep/categorify.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kiln/core/column_builder.h"
#include "kiln/core/logging.h"
#include "kiln/core/thread_pool.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/multi_value.h"
#include "kiln/prep/open_hash_map.h"
#include "kiln/prep/value_counter.h"

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

}  // namespace

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
    ids_.reserve(dictionary_.num_rows());
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
      out[row] = found != ids_.end() ? found->second : oov_id;
    }
    return MakeFixedColumn(DataType::Int32(), length, std::move(buffer), nullptr);
  }

 private:
  Table dictionary_;                                  // (value, count) in id order.
  std::unordered_map<std::string_view, int32_t> ids_; // Value (in dictionary_'s buffers) -> id.
};

// Estimated bytes of an encoder over `dictionary`: the table, plus per
// value a hash map entry (a node and a bucket for strings, two slots of the
// open map for integers).
int64_t EncoderBytes(const Table& dictionary) {
  int64_t bytes = 0;
  for (const RecordBatchPtr& batch : dictionary.batches()) {
    const Column& values = batch->column(0);
    bool text = values.type().id() == TypeId::kString;
    int64_t per_value = text ? 8 + 8 + 48 : values.type().byte_width() + 8 + 2 * (values.type().byte_width() + 4);
    bytes += batch->num_rows() * per_value;
    for (int64_t row = 0; text && row < batch->num_rows(); ++row) bytes += values.GetString(row).size();
  }
  return bytes;
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
                      const CategorifyOptions& options, const MemoryBudget& budget)
      : columns_(columns), types_(types), dictionary_of_(dictionary_of), options_(options) {
    CounterBudget share{budget.accumulator_bytes / static_cast<int64_t>(std::max<size_t>(1, value_types.size())),
                        budget.spill_directory};
    for (const DataType& type : value_types) counters_.push_back(NewValueCounter(type, share));
  }

  Status Update(const RecordBatch& batch) override {
    for (size_t i = 0; i < columns_.size(); ++i) {
      auto column = CheckedColumn(batch, columns_[i], types_[i]);
      if (!column.ok()) return column.status();
      Status status = counters_[dictionary_of_[i]]->Add(*Flatten(*column, options_.separator).elements);
      if (!status.ok()) return status;
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    // The end of every fit pass waits for this; dictionaries merge independently.
    const auto& theirs = static_cast<const CategoryAccumulator&>(other).counters_;
    std::vector<Status> statuses(counters_.size());
    ThreadPool::Default().ParallelFor(static_cast<int64_t>(counters_.size()),
                                      [&](int64_t i) { statuses[i] = counters_[i]->Merge(*theirs[i]); });
    for (const Status& status : statuses) {
      if (!status.ok()) return status;
    }
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, counters_.size());
    for (const auto& counter : counters_) counter->Serialize(out);
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    if (reader.Get<uint64_t>() != counters_.size()) return Status::Corruption("categorify: dictionary count differs");
    for (const auto& counter : counters_) {
      Status status = counter->MergeSerialized(&reader);
      if (!status.ok()) return status;
    }
    return reader.ok() ? Status::OK() : Status::Corruption("categorify: truncated statistics");
  }
  bool partitionable() const override { return true; }
  Status SerializePartitions(std::vector<std::string>* parts) const override {
    for (std::string& part : *parts) PutValue<uint64_t>(&part, counters_.size());
    for (const auto& counter : counters_) {
      Status status = counter->SerializePartitions(parts);
      if (!status.ok()) return status;
    }
    return Status::OK();
  }
  void KeepFitCandidates() override {
    for (const auto& counter : counters_) counter->KeepCandidates(options_);
  }
  const ValueCounter& counter(size_t dictionary) const { return *counters_[dictionary]; }

 private:
  std::vector<std::string> columns_;                     // In the operator's order.
  std::vector<DataType> types_;                          // Of each column.
  std::vector<int> dictionary_of_;                       // Of each column.
  CategorifyOptions options_;                            // Separator; min_freq and max_size for KeepFitCandidates().
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
  return std::make_unique<CategoryAccumulator>(columns_, types_, dictionary_of_, value_types_, options_, budget_);
}

Status Categorify::Fit(const Accumulator& merged) {
  const auto& accumulator = static_cast<const CategoryAccumulator&>(merged);
  int32_t first_id = std::max(options_.null_id, options_.oov_id) + 1;
  encoders_.clear();
  int64_t state_bytes = 0;
  for (size_t i = 0; i < value_types_.size(); ++i) {
    auto dictionary = accumulator.counter(i).Finish(options_, value_types_[i]);
    if (!dictionary.ok()) return dictionary.status();
    if (dictionary->num_rows() > INT32_MAX - first_id) {
      return Status::NotSupported("categorify: column '" + dictionary_names_[i] + "' has more values than int32 ids");
    }
    if (accumulator.counter(i).runs() > 0) {
      LogInfo("categorify: '" + dictionary_names_[i] + "' spilled " + std::to_string(accumulator.counter(i).runs()) +
              " runs of counts, merged partition by partition");
    }
    state_bytes += EncoderBytes(*dictionary);
    if (budget_.state_bytes > 0 && state_bytes > budget_.state_bytes) {
      return Status::NotSupported("categorify: the dictionaries up to column '" + dictionary_names_[i] + "' need about " +
                                  std::to_string(state_bytes >> 20) + " MB, more than the memory limit leaves them (" +
                                  std::to_string(budget_.state_bytes >> 20) +
                                  " MB); raise the limit, min_freq or max_size");
    }
    encoders_.push_back(NewEncoder(value_types_[i], std::move(*dictionary), first_id));
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
