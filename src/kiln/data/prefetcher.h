// Prefetcher: background threads that stage the slices of an epoch plan
// ahead of the consumer, into a queue bounded by bytes.
//
// Threads claim slices in plan order and reserve each slice's staged size
// (rows * BoundMapping::RowBytes()) before reading it; a claim waits while
// the reservations would pass the memory limit, unless nothing is reserved
// (so one slice larger than the limit still moves). Because claims follow
// plan order, the slice the consumer waits for is always claimed first and
// the queue cannot deadlock. Next() hands slices back in plan order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "kiln/data/data_source.h"
#include "kiln/data/epoch_plan.h"

namespace kiln::data {

struct PrefetchOptions {
  int threads = 0;  // Decode threads; 0: DefaultThreadCount() (--threads, KILN_THREADS, cores).
  int64_t memory_limit_bytes = int64_t{256} << 20;  // Staged bytes held ahead of the consumer.
};

class Prefetcher {
 public:
  // Starts reading. REQUIRES: `source` outlives the prefetcher.
  Prefetcher(const DataSource* source, std::vector<PlanSlice> slices, const PrefetchOptions& options);
  ~Prefetcher();  // Stops the threads, dropping what they staged.

  // Stops, drops what was staged and starts reading `slices` (the next
  // epoch), keeping the staged buffers' memory for reuse.
  void Restart(std::vector<PlanSlice> slices);

  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // Swaps the next slice's rows into *block (its old buffers are reused for
  // later slices) and sets *end to false; at the end of the plan sets *end to
  // true. Waits while the slice is being read; the first read error is
  // returned in plan order.
  Status Next(Batch* block, bool* end);
  // Time spent waiting in Next(), in seconds.
  double blocked_seconds() const { return blocked_seconds_; }
  // Bytes currently reserved by staged or in-flight slices.
  int64_t reserved_bytes() const;

 private:
  struct Staged {
    Status status;      // Of the read.
    Batch block;        // The slice's rows.
    int64_t bytes = 0;  // Its reservation.
  };

  void Start();
  void Stop();
  void Work();

  const DataSource* source_;          // Reads slices.
  std::vector<PlanSlice> slices_;     // The plan, in order.
  int64_t memory_limit_;              // On reserved_.
  int thread_count_;                  // Readers to start.
  mutable std::mutex mutex_;          // Guards everything below.
  std::condition_variable changed_;   // A slice staged, consumed, or stop.
  size_t next_claim_ = 0;             // Next slice a thread will read.
  size_t next_deliver_ = 0;           // Next slice Next() returns.
  int64_t reserved_ = 0;              // Bytes of claimed, undelivered slices.
  std::map<size_t, Staged> staged_;   // Read slices by plan index.
  std::vector<Batch> spare_;          // Delivered buffers for reuse.
  bool stopping_ = false;             // Set by the destructor.
  double blocked_seconds_ = 0;        // Waiting in Next().
  std::vector<std::thread> threads_;  // The readers.
};

}  // namespace kiln::data
