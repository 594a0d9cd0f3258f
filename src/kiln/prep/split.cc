#include "kiln/prep/split.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

#include "kiln/core/column_builder.h"
#include "kiln/core/table.h"
#include "kiln/prep/batch_edit.h"
#include "kiln/prep/byte_codec.h"
#include "kiln/prep/numeric_value.h"
#include "kiln/prep/order_key.h"
#include "kiln/prep/row_hash.h"
#include "kiln/prep/row_id.h"

namespace kiln::prep {

namespace {

// Counts per distinct time, for fitted time cutoffs.
class TimeCountAccumulator : public Accumulator {
 public:
  explicit TimeCountAccumulator(std::string column) : column_(std::move(column)) {}

  Status Update(const RecordBatch& batch) override {
    auto index = FindColumn(batch, column_, "split");
    if (!index.ok()) return index.status();
    const Column& column = batch.column(*index);
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      if (column.IsValid(row)) ++counts_[NumberAt(column, row)];
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    for (const auto& [time, count] : static_cast<const TimeCountAccumulator&>(other).counts_) counts_[time] += count;
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, counts_.size());
    for (const auto& [time, count] : counts_) {
      PutValue(out, time);
      PutValue(out, count);
    }
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    uint64_t size = reader.Get<uint64_t>();
    for (uint64_t i = 0; i < size && reader.ok(); ++i) {
      double time = reader.Get<double>();
      counts_[time] += reader.Get<int64_t>();
    }
    return reader.ok() ? Status::OK() : Status::Corruption("split: truncated time counts");
  }
  const std::map<double, int64_t>& counts() const { return counts_; }

 private:
  std::string column_;                // The time column.
  std::map<double, int64_t> counts_;  // Rows per non-null time.
};

// Per user, the latest `keep` rows by (time, row id).
class LatestAccumulator : public Accumulator {
 public:
  LatestAccumulator(std::string user, std::string time, size_t keep)
      : user_(std::move(user)), time_(std::move(time)), keep_(keep) {}

  Status Update(const RecordBatch& batch) override {
    auto user_index = FindColumn(batch, user_, "split");
    auto time_index = FindColumn(batch, time_, "split");
    auto row_ids = RowIds(batch, "split");
    if (!user_index.ok()) return user_index.status();
    if (!time_index.ok()) return time_index.status();
    if (!row_ids.ok()) return row_ids.status();
    const Column& user = batch.column(*user_index);
    const Column& time = batch.column(*time_index);
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      if (user.IsNull(row) || time.IsNull(row)) continue;
      std::string key;
      AppendOrderKey(user, row, false, &key);
      Add(key, Split::Latest{NumberAt(time, row), (*row_ids)[row]});
    }
    return Status::OK();
  }
  Status Merge(const Accumulator& other) override {
    for (const auto& [key, rows] : static_cast<const LatestAccumulator&>(other).latest_) {
      for (const Split::Latest& row : rows) Add(key, row);
    }
    return Status::OK();
  }
  void Serialize(std::string* out) const override {
    PutValue<uint64_t>(out, latest_.size());
    for (const auto& [key, rows] : latest_) {
      PutText(out, key);
      PutValue<uint64_t>(out, rows.size());
      for (const Split::Latest& row : rows) {
        PutValue(out, row.time);
        PutValue(out, row.row_id);
      }
    }
  }
  Status MergeSerialized(std::string_view bytes) override {
    ByteReader reader(bytes);
    uint64_t users = reader.Get<uint64_t>();
    for (uint64_t u = 0; u < users && reader.ok(); ++u) {
      std::string key(reader.GetText());
      uint64_t rows = reader.Get<uint64_t>();
      for (uint64_t r = 0; r < rows && reader.ok(); ++r) {
        double time = reader.Get<double>();
        Add(key, Split::Latest{time, reader.Get<int64_t>()});
      }
    }
    return reader.ok() ? Status::OK() : Status::Corruption("split: truncated latest rows");
  }
  // Per user key, the latest rows, latest first.
  std::map<std::string, std::vector<Split::Latest>> Sorted() const {
    std::map<std::string, std::vector<Split::Latest>> sorted(latest_.begin(), latest_.end());
    for (auto& [key, rows] : sorted) std::sort(rows.begin(), rows.end(), std::greater<Split::Latest>());
    return sorted;
  }

 private:
  // Keeps the `keep_` latest rows of a user as a min-heap (oldest on top).
  void Add(const std::string& key, const Split::Latest& row) {
    std::vector<Split::Latest>& rows = latest_[key];
    auto older = std::greater<Split::Latest>();
    if (rows.size() < keep_) {
      rows.push_back(row);
      std::push_heap(rows.begin(), rows.end(), older);
    } else if (row > rows.front()) {
      std::pop_heap(rows.begin(), rows.end(), older);
      rows.back() = row;
      std::push_heap(rows.begin(), rows.end(), older);
    }
  }

  std::string user_;                                                  // The user column.
  std::string time_;                                                  // The time column.
  size_t keep_;                                                       // Rows kept per user.
  std::unordered_map<std::string, std::vector<Split::Latest>> latest_;  // Per user key: a min-heap.
};

SchemaPtr LatestSchema() {
  return std::make_shared<Schema>(std::vector<Field>{
      {"user", DataType::Binary(), false}, {"time", DataType::Float64(), false}, {"row_id", DataType::Int64(), false}});
}

Status CheckColumn(const Schema& schema, const std::string& name, const std::string& role, bool number_like) {
  if (name.empty()) return Status::InvalidArgument("split: give the " + role + " column");
  int index = schema.IndexOf(name);
  if (index < 0) return Status::NotFound("split: no " + role + " column '" + name + "' in " + schema.ToString());
  const DataType& type = schema.field(index).type;
  if (number_like ? !IsNumberLikeType(type) : !IsOrderableType(type)) {
    return Status::InvalidArgument("split: " + role + " column '" + name + "' has unsuitable type " + type.ToString());
  }
  return Status::OK();
}

Status CheckFractions(const std::vector<double>& fractions) {
  double sum = 0;
  for (double fraction : fractions) {
    if (!(fraction >= 0)) return Status::InvalidArgument("split: fractions must not be negative");
    sum += fraction;
  }
  if (std::abs(sum - 1) > 1e-9) return Status::InvalidArgument("split: fractions must sum to 1");
  return Status::OK();
}

}  // namespace

Result<SchemaPtr> Split::Bind(const SchemaPtr& input) {
  size_t splits = 0;
  Status status = Status::OK();
  switch (options_.method) {
    case SplitMethod::kRandom:
      splits = options_.fractions.size();
      status = CheckFractions(options_.fractions);
      break;
    case SplitMethod::kTime:
      if (!options_.fractions.empty() == !options_.cutoffs.empty()) {
        return Status::InvalidArgument("split: by time takes either fractions or cutoffs");
      }
      splits = options_.fractions.empty() ? options_.cutoffs.size() + 1 : options_.fractions.size();
      status = options_.fractions.empty() ? Status::OK() : CheckFractions(options_.fractions);
      if (status.ok() && !std::is_sorted(options_.cutoffs.begin(), options_.cutoffs.end())) {
        status = Status::InvalidArgument("split: cutoffs must be ascending");
      }
      if (status.ok()) status = CheckColumn(*input, options_.time, "time", true);
      break;
    case SplitMethod::kLastK:
      splits = std::max<size_t>(options_.names.size(), 2);
      if (options_.k < 1) status = Status::InvalidArgument("split: k must be at least 1");
      if (status.ok()) status = CheckColumn(*input, options_.time, "time", true);
      if (status.ok()) status = CheckColumn(*input, options_.user, "user", false);
      break;
  }
  if (!status.ok()) return status;
  if (splits < 2) return Status::InvalidArgument("split: needs at least two splits");
  names_ = options_.names;
  static const char* const kDefaultNames[] = {"train", "valid", "test"};
  if (names_.empty() && splits == 2) names_ = {"train", "test"};
  for (size_t i = names_.size(); i < splits && i < 3; ++i) names_.push_back(kDefaultNames[i]);
  if (names_.size() != splits) {
    return Status::InvalidArgument("split: " + std::to_string(splits) + " splits but " +
                                   std::to_string(names_.size()) + " names");
  }
  std::set<std::string> unique(names_.begin(), names_.end());
  for (const std::string& name : names_) {
    if (name.empty() || name[0] == '.' || name[0] == '_' || name.find('/') != std::string::npos) {
      return Status::InvalidArgument("split: '" + name + "' cannot name a directory");
    }
  }
  if (unique.size() != names_.size()) return Status::InvalidArgument("split: split names must differ");
  cutoffs_ = options_.cutoffs;
  if (input->IndexOf(kSplitColumn) >= 0) return Status::InvalidArgument("split: the stream is already split");
  std::vector<Field> fields = input->fields();
  fields.push_back(Field{kSplitColumn, DataType::Int32(), false});
  return SchemaPtr(std::make_shared<Schema>(std::move(fields)));
}

std::vector<std::string> Split::inputs() const {
  std::vector<std::string> names;
  if (!options_.time.empty() && options_.method != SplitMethod::kRandom) names.push_back(options_.time);
  if (options_.method == SplitMethod::kLastK) names.push_back(options_.user);
  return names;
}

bool Split::needs_fit() const {
  return options_.method == SplitMethod::kLastK || (options_.method == SplitMethod::kTime && options_.cutoffs.empty());
}

std::unique_ptr<Accumulator> Split::NewAccumulator() const {
  if (options_.method == SplitMethod::kTime) return std::make_unique<TimeCountAccumulator>(options_.time);
  size_t keep = (names_.size() - 1) * static_cast<size_t>(options_.k);
  return std::make_unique<LatestAccumulator>(options_.user, options_.time, keep);
}

Status Split::Fit(const Accumulator& merged) {
  if (options_.method == SplitMethod::kLastK) {
    latest_ = static_cast<const LatestAccumulator&>(merged).Sorted();
    return Status::OK();
  }
  const auto& counts = static_cast<const TimeCountAccumulator&>(merged).counts();
  int64_t total = 0;
  for (const auto& entry : counts) total += entry.second;
  // Cutoff i: the first time with at least round(F_i x total) rows before
  // it, F_i the fraction of the splits up to i.
  cutoffs_.clear();
  double cumulative = 0;
  for (size_t i = 0; i + 1 < options_.fractions.size(); ++i) {
    cumulative += options_.fractions[i];
    int64_t target = std::llround(cumulative * static_cast<double>(total));
    double cutoff = std::numeric_limits<double>::infinity();
    int64_t before = 0;
    for (const auto& [time, count] : counts) {
      if (before >= target) {
        cutoff = time;
        break;
      }
      before += count;
    }
    cutoffs_.push_back(cutoff);
  }
  return Status::OK();
}

int32_t Split::TimeSplit(double time) const {
  return static_cast<int32_t>(std::upper_bound(cutoffs_.begin(), cutoffs_.end(), time) - cutoffs_.begin());
}

int32_t Split::LastKSplit(const std::vector<Latest>& latest, const Latest& row) const {
  // The row's rank from the latest: how many remembered rows are later.
  int64_t rank = std::lower_bound(latest.begin(), latest.end(), row, std::greater<Latest>()) - latest.begin();
  int64_t last = static_cast<int64_t>(names_.size()) - 1;
  if (rank >= last * options_.k) return 0;
  return static_cast<int32_t>(last - rank / options_.k);
}

Result<RecordBatchPtr> Split::Transform(const RecordBatchPtr& batch) const {
  int64_t rows = batch->num_rows();
  auto values = std::make_shared<Buffer>(rows * sizeof(int32_t));
  int32_t* split = values->mutable_as<int32_t>();
  std::fill(split, split + rows, 0);
  const int64_t* row_ids = nullptr;
  if (needs_row_ids()) {
    auto ids = RowIds(*batch, kind());
    if (!ids.ok()) return ids.status();
    row_ids = *ids;
  }
  const Column* time = nullptr;
  if (options_.method != SplitMethod::kRandom) {
    auto index = FindColumn(*batch, options_.time, kind());
    if (!index.ok()) return index.status();
    time = &batch->column(*index);
  }
  if (options_.method == SplitMethod::kRandom) {
    for (int64_t row = 0; row < rows; ++row) {
      double draw = RowUniform(options_.seed, row_ids[row]), cumulative = 0;
      int32_t last = static_cast<int32_t>(names_.size()) - 1;
      while (split[row] < last && draw >= (cumulative += options_.fractions[split[row]])) ++split[row];
    }
  } else if (options_.method == SplitMethod::kTime) {
    for (int64_t row = 0; row < rows; ++row) split[row] = time->IsValid(row) ? TimeSplit(NumberAt(*time, row)) : 0;
  } else {
    auto index = FindColumn(*batch, options_.user, kind());
    if (!index.ok()) return index.status();
    const Column& user = batch->column(*index);
    for (int64_t row = 0; row < rows; ++row) {
      if (user.IsNull(row) || time->IsNull(row)) continue;
      std::string key;
      AppendOrderKey(user, row, false, &key);
      auto latest = latest_.find(key);
      Latest self{NumberAt(*time, row), row_ids[row]};
      split[row] = latest == latest_.end() ? LastKSplit({}, self) : LastKSplit(latest->second, self);
    }
  }
  std::vector<Field> fields = batch->schema()->fields();
  fields.push_back(Field{kSplitColumn, DataType::Int32(), false});
  std::vector<std::shared_ptr<Column>> columns = batch->columns();
  columns.push_back(MakeFixedColumn(DataType::Int32(), rows, std::move(values), nullptr));
  return RecordBatchPtr(std::make_shared<RecordBatch>(std::make_shared<Schema>(std::move(fields)), std::move(columns), rows));
}

Status Split::SaveState(const std::string& prefix, FittedStateWriter* writer) const {
  if (!needs_fit()) return Status::OK();
  if (options_.method == SplitMethod::kTime) {
    writer->SetNumbers(prefix + ".cutoffs", cutoffs_);
    return Status::OK();
  }
  ColumnBuilder users(DataType::Binary()), times(DataType::Float64()), row_ids(DataType::Int64());
  for (const auto& [key, rows] : latest_) {
    for (const Latest& row : rows) {
      users.AppendString(key);
      times.Append(row.time);
      row_ids.Append(row.row_id);
    }
  }
  int64_t count = users.length();
  auto batch = std::make_shared<RecordBatch>(LatestSchema(),
                                             std::vector<std::shared_ptr<Column>>{users.Finish(), times.Finish(),
                                                                                  row_ids.Finish()},
                                             count);
  return writer->WriteTable(prefix + ".latest", Table(LatestSchema(), {batch}));
}

Status Split::LoadState(const std::string& prefix, const FittedStateReader& reader) {
  if (!needs_fit()) return Status::OK();
  if (options_.method == SplitMethod::kTime) {
    auto cutoffs = reader.Numbers(prefix + ".cutoffs");
    if (!cutoffs.ok()) return cutoffs.status();
    if (cutoffs->size() + 1 != names_.size()) return Status::Corruption("split: saved cutoffs do not match the splits");
    cutoffs_ = std::move(*cutoffs);
    return Status::OK();
  }
  auto table = reader.ReadTable(prefix + ".latest", *LatestSchema());
  if (!table.ok()) return table.status();
  latest_.clear();
  for (const RecordBatchPtr& batch : table->batches()) {
    for (int64_t row = 0; row < batch->num_rows(); ++row) {
      latest_[std::string(batch->column(0).GetString(row))].push_back(
          Latest{batch->column(1).Value<double>(row), batch->column(2).Value<int64_t>(row)});
    }
  }
  for (auto& [key, rows] : latest_) std::sort(rows.begin(), rows.end(), std::greater<Latest>());
  return Status::OK();
}

}  // namespace kiln::prep
