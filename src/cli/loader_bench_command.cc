// kiln loader-bench: how fast the data connector delivers training batches
// from a dataset, as a trainer would pull them.
#include <chrono>
#include <cstdio>
#include <sstream>

#include "cli/command.h"
#include "kiln/data/loader.h"
#include "kiln/prep/parallel_pass.h"

namespace kiln::cli {

namespace {

struct LoaderBenchFlags {
  std::vector<std::string> paths;
  int64_t batch_size = 2048;
  int64_t epochs = 1;
  int64_t shuffle_buffer = 262144;
  bool no_shuffle = false;
  uint64_t seed = 0;
  int64_t unit_rows = 0;
  int rank = -1;
  int world = -1;
  bool pad = false;
  int decode_threads = 0;
  int64_t prefetch_mb = 256;
  std::string cache_dir;
  int64_t cache_limit_mb = 16384;
  std::string label = "label";
  std::string dense;
  std::string sparse;
};

std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> names;
  std::stringstream stream(text);
  for (std::string name; std::getline(stream, name, ',');) {
    if (!name.empty()) names.push_back(name);
  }
  return names;
}

data::LoaderOptions ToOptions(const LoaderBenchFlags& flags) {
  data::LoaderOptions options;
  options.paths = flags.paths;
  options.mapping.label = flags.label;
  if (!flags.dense.empty() || !flags.sparse.empty()) {
    options.mapping.dense = SplitNames(flags.dense);
    options.mapping.sparse = SplitNames(flags.sparse);
  }
  options.batch_size = flags.batch_size;
  options.epochs = flags.epochs;
  options.shuffle = !flags.no_shuffle;
  options.shuffle_buffer_rows = flags.shuffle_buffer;
  options.seed = flags.seed;
  options.unit_rows = flags.unit_rows;
  options.rank = flags.rank;
  options.world = flags.world;
  options.drop_last = !flags.pad;
  options.prefetch.threads = flags.decode_threads;
  options.prefetch.memory_limit_bytes = flags.prefetch_mb << 20;
  options.cache_directory = flags.cache_dir;
  options.cache_limit_bytes = flags.cache_limit_mb << 20;
  return options;
}

// Wall time and rows of each epoch, from the first Next() call.
struct EpochClock {
  struct Epoch {
    int64_t rows = 0;
    double seconds = 0;
  };
  std::vector<Epoch> epochs;
  std::chrono::steady_clock::time_point epoch_start = std::chrono::steady_clock::now();

  // Called after each batch. An epoch's time ends when the next epoch's
  // first batch arrives (a batch's worth of skew, negligible over an epoch).
  void Delivered(const data::Batch& batch) {
    if (static_cast<int64_t>(epochs.size()) <= batch.epoch) {
      if (!epochs.empty()) Finish();
      epochs.resize(batch.epoch + 1);
    }
    epochs[batch.epoch].rows += batch.rows;
  }
  void Finish() {
    auto now = std::chrono::steady_clock::now();
    if (!epochs.empty()) epochs.back().seconds += std::chrono::duration<double>(now - epoch_start).count();
    epoch_start = now;
  }
};

// Bytes of one delivered batch row: what a trainer receives.
int64_t DeliveredRowBytes(const data::Batch& batch) {
  return (batch.label.empty() ? 0 : 4) + 4 * batch.dense_width + 8 * batch.sparse_width + 1;
}

Status RunLoaderBench(const LoaderBenchFlags& flags) {
  auto loader = data::Loader::Open(ToOptions(flags));
  if (!loader.ok()) return loader.status();
  const data::DataSource& source = (*loader)->source();
  std::printf("dataset: %lld rows in %zu files, %zu read units; rank %d of %d: %lld batches of %lld per epoch\n",
              static_cast<long long>(source.num_rows()), source.files().size(), source.units().size(),
              (*loader)->rank(), (*loader)->world(), static_cast<long long>((*loader)->batches_per_epoch()),
              static_cast<long long>(flags.batch_size));
  data::Batch batch;
  int64_t delivered_bytes = 0;
  EpochClock clock;
  for (;;) {
    Status status = (*loader)->Next(&batch);
    if (!status.ok()) return status;
    if (batch.rows == 0) break;
    clock.Delivered(batch);
    delivered_bytes += batch.rows * DeliveredRowBytes(batch);
  }
  clock.Finish();
  data::LoaderMetrics metrics = (*loader)->metrics();
  const double seconds = metrics.seconds > 0 ? metrics.seconds : 1e-9;
  std::printf("epochs: %lld, batches: %lld, rows: %lld, time: %.3f s\n", static_cast<long long>(flags.epochs),
              static_cast<long long>(metrics.batches), static_cast<long long>(metrics.rows), metrics.seconds);
  std::printf("read: %.1f MB, %.1f MB/s; delivered: %.1f MB, %.1f MB/s\n", metrics.bytes_read / 1e6,
              metrics.bytes_read / 1e6 / seconds, delivered_bytes / 1e6, delivered_bytes / 1e6 / seconds);
  for (size_t e = 0; e < clock.epochs.size(); ++e) {
    std::printf("epoch %zu: %lld rows in %.3f s, %.0f samples/s\n", e, static_cast<long long>(clock.epochs[e].rows),
                clock.epochs[e].seconds,
                clock.epochs[e].seconds > 0 ? clock.epochs[e].rows / clock.epochs[e].seconds : 0);
  }
  std::printf("blocked in next(): %.3f s (%.1f%% of the time)\n", metrics.blocked_seconds,
              100.0 * metrics.blocked_seconds / seconds);
  // CPU time is what a machine shared with other work disturbs least.
  const double cpu = prep::ProcessCpuSeconds();
  std::printf("cpu: %.2f s user+system, %.0f samples per cpu-second\n", cpu, cpu > 0 ? metrics.rows / cpu : 0);
  if (!flags.cache_dir.empty()) {
    std::printf("cache: %lld hits, %lld misses, %.1f MB downloaded, %lld evictions\n",
                static_cast<long long>(metrics.cache.hits), static_cast<long long>(metrics.cache.misses),
                metrics.cache.bytes_downloaded / 1e6, static_cast<long long>(metrics.cache.evictions));
  }
  // Warm: after the first epoch, once buffers are allocated and touched and
  // the files are in the page cache; a single epoch reports itself.
  const size_t first = clock.epochs.size() > 1 ? 1 : 0;
  double warm_seconds = 0;
  int64_t warm_rows = 0;
  for (size_t e = first; e < clock.epochs.size(); ++e) {
    warm_seconds += clock.epochs[e].seconds;
    warm_rows += clock.epochs[e].rows;
  }
  std::printf("samples/s overall: %.0f; warm (epochs %zu..%zu): %.0f\n", metrics.rows_per_second(), first,
              clock.epochs.size() - 1, warm_seconds > 0 ? warm_rows / warm_seconds : 0);
  std::printf("samples/s: %.0f\n", warm_seconds > 0 ? warm_rows / warm_seconds : 0);
  return Status::OK();
}

}  // namespace

void AddLoaderBenchCommand(CLI::App* app, Action* action) {
  CLI::App* bench = app->add_subcommand("loader-bench", "Measure training-batch delivery from a dataset");
  auto flags = std::make_shared<LoaderBenchFlags>();
  bench->add_option("dataset", flags->paths, "Parquet or DLRM binary files or directories, http(s):// or file:// URLs")
      ->required();
  bench->add_option("--batch-size", flags->batch_size, "Rows per batch")->check(CLI::PositiveNumber);
  bench->add_option("--epochs", flags->epochs, "Passes over the data")->check(CLI::PositiveNumber);
  bench->add_option("--shuffle-buffer", flags->shuffle_buffer, "Rows mixed in memory (<= 1: only unit order)");
  bench->add_flag("--no-shuffle", flags->no_shuffle, "Rows in file order");
  bench->add_option("--seed", flags->seed, "Shuffle seed");
  bench->add_option("--unit-rows", flags->unit_rows, "Split row groups into read units of this many rows");
  bench->add_option("--rank", flags->rank, "This rank (default: OMPI_COMM_WORLD_RANK, else 0)");
  bench->add_option("--world", flags->world, "Number of ranks (default: OMPI_COMM_WORLD_SIZE, else 1)");
  bench->add_flag("--pad", flags->pad, "Pad the last batches with repeated, masked rows instead of dropping");
  bench->add_option("--decode-threads", flags->decode_threads,
                    "Background decode threads (default: --threads, else one per core)");
  bench->add_option("--prefetch-mb", flags->prefetch_mb, "Memory for rows decoded ahead, MB")
      ->check(CLI::PositiveNumber);
  bench->add_option("--cache-dir", flags->cache_dir, "Cache remote files here (default: range requests)");
  bench->add_option("--cache-limit-mb", flags->cache_limit_mb, "Cache size limit, MB");
  bench->add_option("--label", flags->label, "Label column (empty: none)");
  bench->add_option("--dense", flags->dense, "Dense columns, comma separated (default: I1..I13)");
  bench->add_option("--sparse", flags->sparse, "Sparse id columns, comma separated (default: C1..C26)");
  bench->callback([action, flags] { *action = [flags] { return RunLoaderBench(*flags); }; });
}

}  // namespace kiln::cli
