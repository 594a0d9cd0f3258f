// Loader: training batches from a Parquet or DLRM binary dataset, shuffled,
// sharded over ranks, prefetched, over any number of epochs.
//
//   paths ─▶ DataSource (read units) ─▶ EpochPlan (unit order by (seed,
//   epoch), this rank's rows) ─▶ Prefetcher (decode threads, bounded bytes)
//   ─▶ ShuffleBuffer ─▶ Batch
//
// Every rank gets the same number of batches per epoch (see epoch_plan.h).
// The stream of batches depends only on the dataset, the options and the
// position, never on thread timing, so a run resumed at a position
// continues exactly as the uninterrupted run did.
//
// Example:
//   LoaderOptions options;
//   options.paths = {"prep/"};
//   options.batch_size = 2048;
//   auto loader = Loader::Open(options);
//   Batch batch;
//   while ((*loader)->Next(&batch).ok() && batch.rows > 0) Train(batch);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiln/data/batch.h"
#include "kiln/data/column_mapping.h"
#include "kiln/data/data_source.h"
#include "kiln/data/epoch_plan.h"
#include "kiln/data/file_cache.h"
#include "kiln/data/http_client.h"
#include "kiln/data/prefetcher.h"
#include "kiln/data/shuffle_buffer.h"

namespace kiln::data {

// Where a stream of batches stands: the next batch to deliver.
struct LoaderPosition {
  int64_t epoch = 0;  // From 0.
  int64_t batch = 0;  // Within the epoch, from 0.
};

struct LoaderOptions {
  std::vector<std::string> paths;                 // Files, directories, http(s):// or file:// locations (one scheme).
  ColumnMapping mapping = DlrmColumnMapping();    // Columns to read.
  int64_t batch_size = 1024;                      // Rows per batch; >= 1.
  int64_t epochs = 1;                             // Passes over the data; >= 1.
  bool shuffle = true;                            // Off: rows in file order, no buffer.
  uint64_t seed = 0;                              // With the epoch, decides every shuffle.
  int64_t shuffle_buffer_rows = 262144;           // Rows mixed in memory; <= 1 mixes only unit order.
  int64_t unit_rows = 0;                          // Split row groups into read units of this many rows; 0: no split.
  int rank = -1;                                  // -1: OMPI_COMM_WORLD_RANK, else 0.
  int world = -1;                                 // -1: OMPI_COMM_WORLD_SIZE, else 1.
  bool drop_last = true;                          // false: pad the last batches (see Batch::mask).
  PrefetchOptions prefetch;                       // Decode threads and the memory limit.
  std::string cache_directory;                    // Remote files: local copies here; empty: range requests.
  int64_t cache_limit_bytes = int64_t{16} << 30;  // Cache size limit (LRU).
  HttpOptions http;                               // Retries and timeouts for http(s).
  LoaderPosition start;                           // Resume here (from Loader::position()).
};

struct LoaderMetrics {
  int64_t batches = 0;         // Delivered.
  int64_t rows = 0;            // Delivered, padding included.
  int64_t bytes_read = 0;      // From the files (or the network, without a cache).
  double seconds = 0;          // Since the first Next() call.
  double blocked_seconds = 0;  // Of those, waiting for decode threads in Next().
  CacheMetrics cache;          // When a cache is used.

  double rows_per_second() const { return seconds > 0 ? rows / seconds : 0; }
};

class Loader {
 public:
  // Opens the dataset (see DataSource::Open for the errors), resolves the
  // rank and world size, and prepares `options.start`. Resuming at batch n
  // of an epoch replays the epoch's first n batches without delivering them
  // (instant when the shuffle buffer is off).
  static Result<std::unique_ptr<Loader>> Open(const LoaderOptions& options);
  ~Loader();

  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  // Fills *batch with the next batch, or sets batch->rows to 0 after the
  // last epoch. After an error the loader must not be used again.
  Status Next(Batch* batch);

  // The next batch Next() delivers; pass it as LoaderOptions::start to resume.
  // After an epoch's last batch this is batch 0 of the next epoch.
  LoaderPosition position() const;
  // Batches per epoch on every rank.
  int64_t batches_per_epoch() const { return plan_.batches; }
  int rank() const { return shard_.rank; }
  int world() const { return shard_.world; }
  const DataSource& source() const { return *source_; }
  LoaderMetrics metrics() const;

 private:
  explicit Loader(const LoaderOptions& options) : options_(options) {}
  Status Initialize();
  // Plans epoch_ and starts its prefetcher, skipping `skip_rows` rows when
  // the shuffle buffer is off.
  void StartEpoch(int64_t skip_rows);
  // Assembles the next batch of the epoch into *batch.
  Status Assemble(Batch* batch);
  // Makes block_ hold unread rows unless the plan is exhausted.
  Status Refill();
  bool Shuffling() const { return options_.shuffle && options_.shuffle_buffer_rows > 1; }

  LoaderOptions options_;                   // As given.
  ShardOptions shard_;                      // Resolved rank and world.
  std::unique_ptr<RemoteStore> store_;      // For remote paths.
  std::unique_ptr<FileCache> cache_;        // When cache_directory is set.
  std::unique_ptr<DataSource> source_;      // The dataset.
  std::vector<int64_t> unit_rows_;          // Rows per read unit.
  int64_t epoch_ = 0;                       // Current epoch.
  int64_t batch_index_ = 0;                 // Next batch within it.
  EpochPlan plan_;                          // This rank's rows of epoch_.
  std::unique_ptr<Prefetcher> prefetcher_;  // Reading plan_.
  std::unique_ptr<ShuffleBuffer> buffer_;   // When shuffling.
  Batch block_;                             // The slice being consumed.
  int64_t block_row_ = 0;                   // Its next unconsumed row.
  bool input_done_ = false;                 // The prefetcher is exhausted.
  LoaderMetrics metrics_;                   // Counters (seconds filled by metrics()).
  int64_t start_nanos_ = -1;                // Steady clock at the first Next().
};

// Rank and world size from OpenMPI's environment (OMPI_COMM_WORLD_RANK and
// OMPI_COMM_WORLD_SIZE) where `rank`/`world` are -1; InvalidArgument when
// the result is out of range.
Status ResolveShard(int rank, int world, ShardOptions* shard);

}  // namespace kiln::data
