#include "kiln/prep/parallel_pass.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "kiln/core/thread_pool.h"

namespace kiln::prep {

namespace {

// Hands out slot numbers to running tasks.
class SlotPool {
 public:
  explicit SlotPool(int slots) {
    for (int i = slots - 1; i >= 0; --i) free_.push_back(i);
  }
  // REQUIRES: fewer tasks hold a slot than there are slots.
  int Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    int slot = free_.back();
    free_.pop_back();
    return slot;
  }
  void Give(int slot) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(slot);
  }

 private:
  std::mutex mutex_;       // Guards free_.
  std::vector<int> free_;  // Slots no task holds.
};

}  // namespace

int DefaultSlotCount() { return ThreadPool::Default().size(); }

Status RunParallelPass(BatchReader* reader, int slots, const BatchTask& task, const BatchSink& sink,
                       PassStats* stats) {
  auto start = std::chrono::steady_clock::now();
  double cpu_start = ProcessCpuSeconds();
  ThreadPool& pool = ThreadPool::Default();
  SlotPool slot_pool(slots);
  std::deque<std::future<Result<RecordBatchPtr>>> in_flight;
  Status status;
  bool input_done = false;
  *stats = PassStats();
  while (status.ok() && (!input_done || !in_flight.empty())) {
    // One batch more than slots, so that a worker never waits for the reader.
    while (!input_done && static_cast<int>(in_flight.size()) < slots + 1) {
      RecordBatchPtr batch;
      status = reader->Next(&batch);
      if (!status.ok() || batch == nullptr) {
        input_done = true;
        break;
      }
      int64_t first_row = stats->rows;
      stats->rows += batch->num_rows();
      ++stats->batches;
      in_flight.push_back(pool.Submit([&task, &slot_pool, batch, first_row]() -> Result<RecordBatchPtr> {
        int slot = slot_pool.Take();
        Result<RecordBatchPtr> result = task(batch, first_row, slot);
        slot_pool.Give(slot);
        return result;
      }));
    }
    if (!status.ok() || in_flight.empty()) break;
    Result<RecordBatchPtr> result = in_flight.front().get();
    in_flight.pop_front();
    if (!result.ok()) {
      status = result.status();
    } else if (*result != nullptr) {
      status = sink(*result);
    }
  }
  for (auto& pending : in_flight) pending.wait();  // Tasks reference this frame.
  stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stats->cpu_seconds = ProcessCpuSeconds() - cpu_start;
  stats->peak_rss = PeakRssBytes();
  return status;
}

namespace {

// A "<key>: N kB" line of /proc/self/status in bytes, or 0.
int64_t ProcStatusBytes(const char* key) {
  FILE* file = std::fopen("/proc/self/status", "r");
  if (file == nullptr) return 0;
  std::string format = std::string(key) + ": %ld kB";
  char line[256];
  long kilobytes = 0;
  while (std::fgets(line, sizeof(line), file)) {
    if (std::sscanf(line, format.c_str(), &kilobytes) == 1) break;
  }
  std::fclose(file);
  return static_cast<int64_t>(kilobytes) * 1024;
}

}  // namespace

int64_t PeakRssBytes() { return ProcStatusBytes("VmHWM"); }

int64_t CurrentRssBytes() { return ProcStatusBytes("VmRSS"); }

double ProcessCpuSeconds() {
  rusage usage;
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string DescribePass(const std::string& name, const PassStats& stats) {
  char text[256];
  double rate = stats.seconds > 0 ? stats.rows / stats.seconds : 0;
  std::snprintf(text, sizeof(text), "%s: %ld rows in %.2f s (%.2f M rows/s, cpu %.2f s), peak RSS %.0f MB",
                name.c_str(), static_cast<long>(stats.rows), stats.seconds, rate / 1e6, stats.cpu_seconds,
                stats.peak_rss / 1048576.0);
  return text;
}

}  // namespace kiln::prep
