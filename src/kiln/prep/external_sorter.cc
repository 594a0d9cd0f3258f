#include "kiln/prep/external_sorter.h"

#include <algorithm>
#include <filesystem>
#include <queue>

#include "kiln/core/column_builder.h"
#include "kiln/prep/batch_spill.h"
#include "kiln/prep/row_gather.h"

namespace kiln::prep {

namespace {

constexpr char kOrderKeyColumn[] = "__order_key";
constexpr int64_t kOutputBatchRows = 65536;  // Rows per batch of a run and of the merged stream.
constexpr size_t kMaxMergeWidth = 64;        // Runs merged at once: open files and batches in memory.

// The key column: the last column of every buffered batch and run batch.
std::string_view KeyAt(const RecordBatch& batch, int64_t row) {
  return batch.column(batch.num_columns() - 1).GetString(row);
}

// A k-way merge of sorted runs. Yields batches of `output_schema`, the first
// columns of the run schema (without the key, or with it when merging runs
// into a longer run).
class RunMergeReader : public BatchReader {
 public:
  RunMergeReader(std::vector<std::unique_ptr<BatchReader>> runs, SchemaPtr output_schema, ReadReport report)
      : runs_(std::move(runs)), schema_(std::move(output_schema)), report_(std::move(report)),
        current_(runs_.size()), row_(runs_.size(), 0) {}

  const SchemaPtr& schema() const override { return schema_; }
  ReadReport report() const override { return report_; }

  Status Next(RecordBatchPtr* batch) override {
    *batch = nullptr;
    if (!started_) {
      started_ = true;
      for (size_t run = 0; run < runs_.size(); ++run) {
        Status status = Advance(run);
        if (!status.ok()) return status;
      }
    }
    std::vector<const RecordBatch*> sources;
    std::vector<RowRef> rows;
    while (!heap_.empty() && static_cast<int64_t>(rows.size()) < kOutputBatchRows) {
      size_t run = heap_.top().run;
      heap_.pop();
      if (sources.empty() || sources.back() != current_[run].get()) {
        sources.push_back(current_[run].get());
        kept_.push_back(current_[run]);
      }
      rows.push_back(RowRef{static_cast<int32_t>(sources.size() - 1), row_[run]});
      ++row_[run];
      Status status = Advance(run);
      if (!status.ok()) return status;
    }
    if (!rows.empty()) *batch = GatherRows(schema_, sources, rows);
    kept_.clear();
    return Status::OK();
  }

 private:
  struct Head {
    std::string_view key;  // The run's current row's key.
    size_t run;            // Which run.
    bool operator<(const Head& other) const { return key > other.key; }  // Smallest key on top.
  };

  // Puts run `run`'s current row on the heap, reading its next batch when
  // the current one is used up; an exhausted run leaves the heap.
  Status Advance(size_t run) {
    while (current_[run] == nullptr || row_[run] >= current_[run]->num_rows()) {
      RecordBatchPtr next;
      Status status = runs_[run]->Next(&next);
      if (!status.ok()) return status;
      if (next == nullptr) {
        current_[run] = nullptr;
        return Status::OK();
      }
      current_[run] = std::move(next);
      row_[run] = 0;
    }
    heap_.push(Head{KeyAt(*current_[run], row_[run]), run});
    return Status::OK();
  }

  std::vector<std::unique_ptr<BatchReader>> runs_;  // The sorted runs.
  SchemaPtr schema_;                                // Of the output.
  ReadReport report_;                               // Of the stream that was sorted.
  std::vector<RecordBatchPtr> current_;             // Per run: the batch being merged.
  std::vector<int64_t> row_;                        // Per run: next row in current_.
  std::vector<RecordBatchPtr> kept_;                // Sources of the output batch being built.
  std::priority_queue<Head> heap_;                  // One entry per run with rows left.
  bool started_ = false;                            // The runs' first batches are read.
};

}  // namespace

ExternalSorter::ExternalSorter(const BarrierOperator* barrier, SchemaPtr schema, std::string path_prefix)
    : barrier_(barrier), schema_(std::move(schema)), path_prefix_(std::move(path_prefix)) {
  std::vector<Field> fields = schema_->fields();
  fields.push_back(Field{kOrderKeyColumn, DataType::Binary()});
  run_schema_ = std::make_shared<Schema>(std::move(fields));
}

ExternalSorter::~ExternalSorter() {
  std::error_code error;
  for (const std::string& path : all_paths_) std::filesystem::remove(path, error);
}

Status ExternalSorter::Add(const RecordBatchPtr& batch) {
  if (batch->num_rows() == 0) return Status::OK();
  ColumnBuilder key_builder(DataType::Binary());
  key_builder.Reserve(batch->num_rows());
  Status status = barrier_->AppendOrderKeys(*batch, rows_, &key_builder);
  if (!status.ok()) return status.WithContext(std::string(barrier_->kind()));
  rows_ += batch->num_rows();
  std::vector<std::shared_ptr<Column>> columns = batch->columns();
  columns.push_back(key_builder.Finish());
  auto keyed = std::make_shared<RecordBatch>(run_schema_, std::move(columns), batch->num_rows());
  buffered_bytes_ += BatchBytes(*keyed);
  buffered_.push_back(std::move(keyed));
  return buffered_bytes_ >= barrier_->memory_limit() ? SpillRun() : Status::OK();
}

std::string ExternalSorter::NewRunPath() {
  all_paths_.push_back(path_prefix_ + "-" + std::to_string(all_paths_.size()) + ".spill");
  return all_paths_.back();
}

Status ExternalSorter::SpillRun() {
  if (buffered_.empty()) return Status::OK();
  std::vector<const RecordBatch*> sources;
  std::vector<std::pair<std::string_view, RowRef>> keyed;  // Keys looked up once, not per comparison.
  for (size_t b = 0; b < buffered_.size(); ++b) {
    sources.push_back(buffered_[b].get());
    for (int64_t row = 0; row < buffered_[b]->num_rows(); ++row) {
      keyed.emplace_back(KeyAt(*buffered_[b], row), RowRef{static_cast<int32_t>(b), row});
    }
  }
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RowRef> order;
  order.reserve(keyed.size());
  for (const auto& entry : keyed) order.push_back(entry.second);
  auto writer = BatchSpillWriter::Create(NewRunPath(), run_schema_);
  if (!writer.ok()) return writer.status();
  for (size_t begin = 0; begin < order.size(); begin += kOutputBatchRows) {
    size_t end = std::min(order.size(), begin + static_cast<size_t>(kOutputBatchRows));
    std::vector<RowRef> slice(order.begin() + begin, order.begin() + end);
    Status status = (*writer)->Append(*GatherRows(run_schema_, sources, slice));
    if (!status.ok()) return status;
  }
  Status status = (*writer)->Finish();
  if (!status.ok()) return status;
  runs_.push_back(all_paths_.back());
  ++runs_spilled_;
  buffered_.clear();
  buffered_bytes_ = 0;
  return Status::OK();
}

Status ExternalSorter::MergeRuns(size_t begin, size_t end) {
  std::vector<std::unique_ptr<BatchReader>> readers;
  for (size_t i = begin; i < end; ++i) {
    auto reader = OpenBatchSpill(runs_[i], run_schema_, ReadReport());
    if (!reader.ok()) return reader.status();
    readers.push_back(std::move(*reader));
  }
  RunMergeReader merge(std::move(readers), run_schema_, ReadReport());
  auto writer = BatchSpillWriter::Create(NewRunPath(), run_schema_);
  if (!writer.ok()) return writer.status();
  for (;;) {
    RecordBatchPtr batch;
    Status status = merge.Next(&batch);
    if (!status.ok()) return status;
    if (batch == nullptr) break;
    status = (*writer)->Append(*batch);
    if (!status.ok()) return status;
  }
  Status status = (*writer)->Finish();
  if (!status.ok()) return status;
  std::error_code error;
  for (size_t i = begin; i < end; ++i) std::filesystem::remove(runs_[i], error);
  runs_.erase(runs_.begin() + begin, runs_.begin() + end);
  runs_.push_back(all_paths_.back());
  return Status::OK();
}

Status ExternalSorter::Finish(const ReadReport& upstream) {
  upstream_ = upstream;
  Status status = SpillRun();
  while (status.ok() && runs_.size() > kMaxMergeWidth) status = MergeRuns(0, kMaxMergeWidth);
  return status;
}

Result<std::unique_ptr<BatchReader>> ExternalSorter::OpenSorted() const {
  std::vector<std::unique_ptr<BatchReader>> readers;
  for (const std::string& path : runs_) {
    auto reader = OpenBatchSpill(path, run_schema_, ReadReport());
    if (!reader.ok()) return reader.status();
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<BatchReader>(std::make_unique<RunMergeReader>(std::move(readers), schema_, upstream_));
}

}  // namespace kiln::prep
