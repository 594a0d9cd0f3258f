#include "kiln/data/loader.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "kiln/data/batch_fill.h"

namespace kiln::data {

namespace {

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The integer in environment variable `name`, or `fallback` when unset.
Status EnvironmentInt(const char* name, int fallback, int* value) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') {
    *value = fallback;
    return Status::OK();
  }
  char* end = nullptr;
  long parsed = std::strtol(text, &end, 10);
  if (*end != '\0' || parsed < 0 || parsed > (1 << 24)) {
    return Status::InvalidArgument(std::string(name) + "='" + text + "' is not a valid rank or size");
  }
  *value = static_cast<int>(parsed);
  return Status::OK();
}

Status CheckOptions(const LoaderOptions& options) {
  if (options.batch_size < 1) return Status::InvalidArgument("batch size must be at least 1");
  if (options.epochs < 1) return Status::InvalidArgument("epochs must be at least 1");
  if (options.start.epoch < 0 || options.start.batch < 0) {
    return Status::InvalidArgument("the start position must not be negative");
  }
  if (options.unit_rows < 0) return Status::InvalidArgument("unit rows must not be negative");
  if (options.prefetch.memory_limit_bytes < 1)
    return Status::InvalidArgument("the prefetch memory limit must be positive");
  return Status::OK();
}

}  // namespace

Status ResolveShard(int rank, int world, ShardOptions* shard) {
  Status status = rank >= 0 ? Status::OK() : EnvironmentInt("OMPI_COMM_WORLD_RANK", 0, &rank);
  if (status.ok() && world < 0) status = EnvironmentInt("OMPI_COMM_WORLD_SIZE", 1, &world);
  if (!status.ok()) return status;
  if (world < 1 || rank >= world) {
    return Status::InvalidArgument("rank " + std::to_string(rank) + " is not within a world of " +
                                   std::to_string(world));
  }
  shard->rank = rank;
  shard->world = world;
  return Status::OK();
}

Result<std::unique_ptr<Loader>> Loader::Open(const LoaderOptions& options) {
  Status status = CheckOptions(options);
  if (!status.ok()) return status;
  std::unique_ptr<Loader> loader(new Loader(options));
  status = loader->Initialize();
  if (!status.ok()) return status;
  return loader;
}

Loader::~Loader() = default;

Status Loader::Initialize() {
  Status status = ResolveShard(options_.rank, options_.world, &shard_);
  if (!status.ok()) return status;
  shard_.batch_size = options_.batch_size;
  shard_.drop_last = options_.drop_last;
  for (const std::string& path : options_.paths) {
    if (IsRemoteLocation(path) && store_ == nullptr) store_ = MakeRemoteStore(path, options_.http);
  }
  if (store_ != nullptr && !options_.cache_directory.empty()) {
    auto cache = FileCache::Open({options_.cache_directory, options_.cache_limit_bytes});
    if (!cache.ok()) return cache.status();
    cache_ = std::move(*cache);
  }
  SourceOptions source_options{options_.paths, options_.mapping, options_.unit_rows, {store_.get(), cache_.get()}};
  auto source = DataSource::Open(source_options);
  if (!source.ok()) return source.status();
  source_ = std::move(*source);
  for (const ReadUnit& unit : source_->units()) unit_rows_.push_back(unit.rows);

  epoch_ = options_.start.epoch;
  plan_ = PlanEpoch(unit_rows_, UnitOrder(unit_rows_.size(), false, 0, 0), shard_);  // Sizes only.
  if (options_.start.batch > plan_.batches) {
    return Status::InvalidArgument("start batch " + std::to_string(options_.start.batch) + " is past the " +
                                   std::to_string(plan_.batches) + " batches of an epoch");
  }
  if (Shuffling()) {
    const int64_t capacity = std::max<int64_t>(1, std::min(options_.shuffle_buffer_rows, plan_.rows));
    buffer_ = std::make_unique<ShuffleBuffer>(source_->mapping(), capacity, 0);
  }
  if (epoch_ >= options_.epochs) return Status::OK();
  if (!Shuffling()) {
    StartEpoch(options_.start.batch * options_.batch_size);
    return Status::OK();
  }
  StartEpoch(0);
  Batch skipped;
  while (batch_index_ < options_.start.batch) {
    status = Assemble(&skipped);
    if (!status.ok()) return status;
    ++batch_index_;
  }
  return Status::OK();
}

void Loader::StartEpoch(int64_t skip_rows) {
  plan_ = PlanEpoch(unit_rows_, UnitOrder(unit_rows_.size(), options_.shuffle, options_.seed, epoch_), shard_);
  std::vector<PlanSlice> slices = plan_.slices;
  size_t first = 0;
  for (int64_t rest = skip_rows; rest > 0; ++first) {
    int64_t take = std::min(rest, slices[first].count);
    slices[first].begin += take;
    slices[first].count -= take;
    rest -= take;
    if (slices[first].count > 0) break;
  }
  slices.erase(slices.begin(), slices.begin() + first);
  if (buffer_ != nullptr) buffer_->Reset(StreamSeed(options_.seed, epoch_, kShuffleBufferStream, shard_.rank));
  if (prefetcher_ == nullptr) {
    prefetcher_ = std::make_unique<Prefetcher>(source_.get(), std::move(slices), options_.prefetch);
  } else {
    prefetcher_->Restart(std::move(slices));
  }
  block_.rows = 0;
  block_row_ = 0;
  input_done_ = false;
  batch_index_ = skip_rows / options_.batch_size;
}

Status Loader::Refill() {
  if (block_row_ < block_.rows || input_done_) return Status::OK();
  Status status = prefetcher_->Next(&block_, &input_done_);
  if (!status.ok()) return status;
  block_row_ = 0;
  if (input_done_) block_.rows = 0;
  return Status::OK();
}

Status Loader::Assemble(Batch* batch) {
  const int64_t size = options_.batch_size;
  ResizeBatch(source_->mapping(), size, batch);
  const bool lists = source_->mapping().list_count > 0;
  for (int64_t filled = 0; filled < size;) {
    if (buffer_ != nullptr && input_done_) {
      if (buffer_->size() < size - filled) return Status::Internal("the shuffle buffer ran out of rows mid-epoch");
      buffer_->Drain(size - filled, batch, filled);
      break;
    }
    Status status = Refill();
    if (!status.ok()) return status;
    if (input_done_) {
      if (buffer_ == nullptr) return Status::Internal("the epoch plan ran out of rows mid-batch");
      continue;
    }
    const int64_t available = block_.rows - block_row_;
    int64_t count;
    if (buffer_ == nullptr) {
      count = std::min(size - filled, available);
      CopyFixedRows(block_, block_row_, batch, filled, count);
      for (int64_t i = 0; lists && i < count; ++i) AppendListRow(block_, block_row_ + i, batch);
      filled += count;
    } else if (!buffer_->full()) {
      count = std::min(buffer_->capacity() - buffer_->size(), available);
      buffer_->Insert(block_, block_row_, count);
    } else {
      count = std::min(size - filled, available);
      buffer_->Exchange(block_, block_row_, count, batch, filled);
      filled += count;
    }
    block_row_ += count;
  }
  batch->padded_rows = std::count(batch->mask.begin(), batch->mask.end(), 0);
  return Status::OK();
}

Status Loader::Next(Batch* batch) {
  if (start_nanos_ < 0) start_nanos_ = NowNanos();
  while (epoch_ < options_.epochs && batch_index_ == plan_.batches) {
    if (++epoch_ < options_.epochs) StartEpoch(0);
  }
  if (epoch_ >= options_.epochs) {
    batch->rows = 0;
    return Status::OK();
  }
  Status status = Assemble(batch);
  if (!status.ok()) return status;
  batch->epoch = epoch_;
  batch->index = batch_index_++;
  ++metrics_.batches;
  metrics_.rows += batch->rows;
  return Status::OK();
}

LoaderPosition Loader::position() const {
  if (batch_index_ == plan_.batches) return {epoch_ + 1, 0};
  return {epoch_, batch_index_};
}

LoaderMetrics Loader::metrics() const {
  LoaderMetrics metrics = metrics_;
  metrics.bytes_read = source_->bytes_read();
  metrics.seconds = start_nanos_ < 0 ? 0 : (NowNanos() - start_nanos_) * 1e-9;
  metrics.blocked_seconds = prefetcher_ ? prefetcher_->blocked_seconds() : 0;
  if (cache_ != nullptr) metrics.cache = cache_->metrics();
  return metrics;
}

}  // namespace kiln::data
