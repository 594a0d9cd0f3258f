// ThreadPool: a fixed set of worker threads for Kiln's parallel passes.
//
// The default pool's size comes from SetDefaultThreadCount() (the CLI's
// --threads), else the KILN_THREADS environment variable, else the number of
// cores. ParallelFor lets the calling thread take part, so it is safe to call
// from inside a pool task: it never waits on work that nobody will run.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace kiln {

class ThreadPool {
 public:
  // REQUIRES: threads >= 1
  explicit ThreadPool(int threads);
  ~ThreadPool();  // Finishes queued tasks, then joins.

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()); }

  // Runs `task` on a worker; the future holds its result or exception.
  template <typename F>
  auto Submit(F task) -> std::future<decltype(task())> {
    using R = decltype(task());
    auto packaged = std::make_shared<std::packaged_task<R()>>(std::move(task));
    std::future<R> result = packaged->get_future();
    Enqueue([packaged] { (*packaged)(); });
    return result;
  }

  // Calls body(i) for every i in [0, count), spread over the workers and the
  // calling thread, and returns when all calls have returned. Each index runs
  // exactly once; order is unspecified. The first exception is rethrown.
  void ParallelFor(int64_t count, const std::function<void(int64_t)>& body);

  // The process-wide pool, created on first use with DefaultThreadCount().
  static ThreadPool& Default();

 private:
  void Enqueue(std::function<void()> task);
  void WorkerLoop();

  std::vector<std::thread> workers_;         // Fixed at construction.
  std::mutex mutex_;                         // Guards queue_ and stopping_.
  std::condition_variable wake_;             // Signals work or shutdown.
  std::queue<std::function<void()>> queue_;  // Pending tasks, FIFO.
  bool stopping_ = false;                    // Set once by the destructor.
};

// Threads to use when nothing else is said: the override, KILN_THREADS, or
// std::thread::hardware_concurrency(), at least 1.
int DefaultThreadCount();
// Overrides DefaultThreadCount(). Call before first use of ThreadPool::Default().
void SetDefaultThreadCount(int threads);

}  // namespace kiln
