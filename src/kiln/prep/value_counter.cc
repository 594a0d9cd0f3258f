#include "kiln/prep/value_counter.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kiln/core/column_builder.h"
#include "kiln/core/file.h"
#include "kiln/prep/open_hash_map.h"

namespace kiln::prep {

namespace {

constexpr int64_t kPrefetchDistance = 16;  // Rows between a prefetch and its lookup.
// A string map entry: its node (next pointer, std::string, count, cached
// hash) as malloc rounds it, plus its bucket pointer.
constexpr int64_t kStringEntryBytes = 72;
constexpr size_t kShortString = 15;        // Longer strings allocate their text.

// Partition of a value hash: the top bits of a multiply that the maps' own
// slot functions do not use, so one partition's keys still spread over a map.
int PartitionOf(uint64_t hash) {
  return static_cast<int>((hash * 0xC2B2AE3D27D4EB4FULL) >> 56) % ValueCounter::kPartitions;
}

template <typename K>
class IntCounts {
 public:
  using Stored = K;  // What a dictionary entry holds.

  void AddColumn(const Column& column) {
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
  void Add(K key, int64_t count) { counts_[key] += count; }
  void Reserve(int64_t entries) { counts_.Reserve(entries); }
  // Adds other's counts, prefetching kPrefetchDistance entries ahead: the
  // merge at the end of a fit pass waits on these cache misses.
  void AddAll(const IntCounts& other) {
    std::pair<K, int64_t> pending[kPrefetchDistance];
    int64_t seen = 0;
    other.ForEach([&](K key, int64_t count) {
      counts_.Prefetch(key);
      std::pair<K, int64_t>& slot = pending[seen++ % kPrefetchDistance];
      if (seen > kPrefetchDistance) counts_[slot.first] += slot.second;
      slot = {key, count};
    });
    for (int64_t i = std::max<int64_t>(0, seen - kPrefetchDistance); i < seen; ++i) {
      counts_[pending[i % kPrefetchDistance].first] += pending[i % kPrefetchDistance].second;
    }
  }
  template <typename F>
  void ForEach(F&& f) const { counts_.ForEach(f); }
  int64_t size() const { return counts_.size(); }
  int64_t memory_bytes() const { return counts_.memory_bytes(); }
  void Clear() { counts_ = OpenHashMap<K, int64_t>(); }

  static int Partition(K key) { return PartitionOf(static_cast<uint64_t>(key)); }
  // Spreads integer keys (often small or sequential) over the ranks' partitions.
  static uint64_t RankHash(K key) {
    uint64_t x = static_cast<uint64_t>(key);
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
  static void Put(std::string* out, K key) { PutValue(out, key); }
  static K Get(ByteReader* reader) { return reader->Get<K>(); }

 private:
  OpenHashMap<K, int64_t> counts_;  // Value -> occurrences.
};

// Hash and equality that let string maps be probed with string_views.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
};

class TextCounts {
 public:
  using Stored = std::string;

  void AddColumn(const Column& column) {
    for (int64_t row = 0; row < column.length(); ++row) {
      if (!column.IsNull(row)) Add(column.GetString(row), 1);
    }
  }
  void Add(std::string_view key, int64_t count) {
    auto found = counts_.find(key);
    if (found != counts_.end()) {
      found->second += count;
      return;
    }
    counts_.emplace(std::string(key), count);
    if (key.size() > kShortString) text_bytes_ += static_cast<int64_t>(key.size()) + 1;
  }
  void Reserve(int64_t entries) { counts_.reserve(entries); }
  void AddAll(const TextCounts& other) {
    other.ForEach([&](std::string_view key, int64_t count) { Add(key, count); });
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& [value, count] : counts_) f(std::string_view(value), count);
  }
  int64_t size() const { return static_cast<int64_t>(counts_.size()); }
  int64_t memory_bytes() const {
    return size() * kStringEntryBytes + static_cast<int64_t>(counts_.bucket_count()) * 8 + text_bytes_;
  }
  void Clear() {
    std::unordered_map<std::string, int64_t, TextHash, std::equal_to<>>().swap(counts_);
    text_bytes_ = 0;
  }

  static int Partition(std::string_view key) { return PartitionOf(TextHash()(key)); }
  static uint64_t RankHash(std::string_view key) { return TextHash()(key); }
  static void Put(std::string* out, std::string_view key) { PutText(out, key); }
  static std::string_view Get(ByteReader* reader) { return reader->GetText(); }

 private:
  std::unordered_map<std::string, int64_t, TextHash, std::equal_to<>> counts_;  // Value -> occurrences.
  int64_t text_bytes_ = 0;  // Heap bytes of the strings too long to live in their node.
};

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

// One spilled run: (value, count) records grouped by partition. The file
// goes away with the last counter that holds the run.
struct Run {
  std::string path;
  std::vector<int64_t> offsets;  // kPartitions + 1: partition p is [offsets[p], offsets[p + 1]).
  int64_t entries = 0;           // Records in the file.
  ~Run() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

std::atomic<int64_t> next_run_number{0};

template <typename Counts>
Result<std::shared_ptr<Run>> WriteRun(const Counts& counts, const std::string& directory) {
  std::vector<std::string> partitions(ValueCounter::kPartitions);
  counts.ForEach([&](auto key, int64_t count) {
    std::string& out = partitions[Counts::Partition(key)];
    Counts::Put(&out, key);
    PutValue(&out, count);
  });
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Status::IOError(directory + ": cannot create the spill directory: " + error.message());
  auto run = std::make_shared<Run>();
  run->path = directory + "/counts-" + std::to_string(getpid()) + "-" + std::to_string(next_run_number++) + ".run";
  run->entries = counts.size();
  auto file = OutputFile::Create(run->path);
  if (!file.ok()) return file.status();
  run->offsets.push_back(0);
  for (std::string& partition : partitions) {
    Status status = (*file)->Append(partition);
    if (!status.ok()) return status;
    run->offsets.push_back(run->offsets.back() + static_cast<int64_t>(partition.size()));
    std::string().swap(partition);
  }
  Status status = (*file)->Commit();
  if (!status.ok()) return status;
  return run;
}

template <typename Counts>
class SpillingCounter : public ValueCounter {
 public:
  explicit SpillingCounter(CounterBudget budget) : budget_(std::move(budget)) {}

  Status Add(const Column& column) override {
    counts_.AddColumn(column);
    return SpillIfOver();
  }
  Status Merge(const ValueCounter& other) override {
    const auto& theirs = static_cast<const SpillingCounter&>(other);
    runs_.insert(runs_.end(), theirs.runs_.begin(), theirs.runs_.end());
    // Without a budget, room for both at once saves rehashing as it grows.
    if (budget_.bytes <= 0) counts_.Reserve(counts_.size() + theirs.counts_.size());
    counts_.AddAll(theirs.counts_);
    return SpillIfOver();
  }
  void Serialize(std::string* out) const override {
    int64_t entries = counts_.size();
    for (const auto& run : runs_) entries += run->entries;
    PutValue<uint64_t>(out, entries);
    counts_.ForEach([&](auto key, int64_t count) {
      Counts::Put(out, key);
      PutValue(out, count);
    });
    // A run's records are in this same form.
    for (const auto& run : runs_) {
      auto bytes = ReadFileToString(run->path);
      if (!bytes.ok()) return;
      out->append(*bytes);
    }
  }
  Status MergeSerialized(ByteReader* reader) override {
    uint64_t entries = reader->Get<uint64_t>();
    for (uint64_t i = 0; i < entries && reader->ok(); ++i) {
      auto key = Counts::Get(reader);
      counts_.Add(key, reader->Get<int64_t>());
      if (i % 65536 == 65535) {
        Status status = SpillIfOver();
        if (!status.ok()) return status;
      }
    }
    return SpillIfOver();
  }
  Result<Table> Finish(const CategorifyOptions& options, const DataType& type) const override {
    std::vector<std::pair<typename Counts::Stored, int64_t>> candidates;
    Status status = Candidates(options.min_freq, &candidates);
    if (!status.ok()) return status;
    return DictionaryTable(OrderDictionary(std::move(candidates), options), type);
  }
  int64_t runs() const override { return static_cast<int64_t>(runs_.size()); }

  Status SerializePartitions(std::vector<std::string>* parts) const override {
    std::vector<std::string> entries(parts->size());
    std::vector<uint64_t> counts(parts->size(), 0);
    auto add = [&](auto key, int64_t count) {
      size_t part = Counts::RankHash(key) % parts->size();
      Counts::Put(&entries[part], key);
      PutValue(&entries[part], count);
      ++counts[part];
    };
    counts_.ForEach(add);
    Status status = ForEachSpilled(runs_, add);
    if (!status.ok()) return status;
    for (size_t p = 0; p < parts->size(); ++p) {
      PutValue<uint64_t>(&(*parts)[p], counts[p]);
      (*parts)[p] += entries[p];
    }
    return Status::OK();
  }
  Status KeepCandidates(const CategorifyOptions& options) override {
    CategorifyOptions cut = options;
    cut.order = CategoryOrder::kFrequency;  // The cut only; Finish() orders.
    std::vector<std::pair<typename Counts::Stored, int64_t>> candidates;
    Status status = Candidates(options.min_freq, &candidates);
    if (!status.ok()) return status;
    counts_.Clear();
    runs_.clear();
    for (const auto& [key, count] : OrderDictionary(std::move(candidates), cut)) counts_.Add(key, count);
    return Status::OK();
  }

 private:
  Status SpillIfOver() {
    if (budget_.bytes <= 0 || counts_.memory_bytes() <= budget_.bytes) return Status::OK();
    auto run = WriteRun(counts_, budget_.spill_directory);
    if (!run.ok()) return run.status();
    runs_.push_back(std::move(*run));
    counts_.Clear();
    return Status::OK();
  }

  // The values seen at least min_freq times, in memory and spilled.
  Status Candidates(int64_t min_freq, std::vector<std::pair<typename Counts::Stored, int64_t>>* candidates) const {
    if (runs_.empty()) {
      candidates->reserve(counts_.size());
      counts_.ForEach([&](auto key, int64_t count) {
        if (count >= min_freq) candidates->emplace_back(key, count);
      });
      return Status::OK();
    }
    std::vector<std::shared_ptr<Run>> runs = runs_;
    if (counts_.size() > 0) {
      // The entries still in memory join as one more run, so that each
      // partition below reads them without a pass over the whole map.
      auto last = WriteRun(counts_, budget_.spill_directory);
      if (!last.ok()) return last.status();
      runs.push_back(std::move(*last));
    }
    return MergePartitions(runs, min_freq, candidates);
  }

  // Calls add(key, count) for every record of `runs`, a run at a time.
  template <typename F>
  static Status ForEachSpilled(const std::vector<std::shared_ptr<Run>>& runs, F&& add) {
    for (const auto& run : runs) {
      auto bytes = ReadFileToString(run->path);
      if (!bytes.ok()) return bytes.status();
      ByteReader reader(*bytes);
      while (!reader.empty() && reader.ok()) {
        auto key = Counts::Get(&reader);
        add(key, reader.Get<int64_t>());
      }
      if (!reader.ok()) return Status::Corruption(run->path + ": truncated spilled counts");
    }
    return Status::OK();
  }

  // Adds the values of every partition that reach min_freq to *candidates,
  // holding one partition's counts at a time.
  static Status MergePartitions(const std::vector<std::shared_ptr<Run>>& runs, int64_t min_freq,
                                std::vector<std::pair<typename Counts::Stored, int64_t>>* candidates) {
    std::vector<std::unique_ptr<InputFile>> files;
    for (const auto& run : runs) {
      auto file = InputFile::Open(run->path);
      if (!file.ok()) return file.status();
      files.push_back(std::move(*file));
    }
    std::string bytes;
    for (int partition = 0; partition < kPartitions; ++partition) {
      Counts counts;
      for (size_t i = 0; i < runs.size(); ++i) {
        int64_t begin = runs[i]->offsets[partition];
        bytes.resize(runs[i]->offsets[partition + 1] - begin);
        Status status = files[i]->ReadExactly(begin, static_cast<int64_t>(bytes.size()), bytes.data());
        if (!status.ok()) return status;
        ByteReader reader(bytes);
        while (!reader.empty() && reader.ok()) {
          auto key = Counts::Get(&reader);
          counts.Add(key, reader.Get<int64_t>());
        }
        if (!reader.ok()) return Status::Corruption(runs[i]->path + ": truncated spilled counts");
      }
      counts.ForEach([&](auto key, int64_t count) {
        if (count >= min_freq) candidates->emplace_back(key, count);
      });
    }
    return Status::OK();
  }

  CounterBudget budget_;                   // When and where to spill.
  Counts counts_;                          // Counted since the last spill.
  std::vector<std::shared_ptr<Run>> runs_; // Spilled so far, own and merged.
};

}  // namespace

std::unique_ptr<ValueCounter> NewValueCounter(const DataType& type, CounterBudget budget) {
  switch (type.id()) {
    case TypeId::kInt32: return std::make_unique<SpillingCounter<IntCounts<int32_t>>>(std::move(budget));
    case TypeId::kInt64: return std::make_unique<SpillingCounter<IntCounts<int64_t>>>(std::move(budget));
    case TypeId::kUInt32: return std::make_unique<SpillingCounter<IntCounts<uint32_t>>>(std::move(budget));
    case TypeId::kUInt64: return std::make_unique<SpillingCounter<IntCounts<uint64_t>>>(std::move(budget));
    default: return std::make_unique<SpillingCounter<TextCounts>>(std::move(budget));
  }
}

}  // namespace kiln::prep
