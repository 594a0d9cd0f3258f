// ChunkPipeline: an ordered parallel map from a RowChunker's chunks to
// parse results.
//
// The calling thread cuts chunks (sequential I/O) and submits one parse task
// per chunk to a thread pool; Next() hands results back strictly in chunk
// order. At most max_in_flight chunks are read but not yet handed back, so
// memory stays bounded however large the file. The first error in file order
// (from a parse or from the chunker) is returned, and later results are
// dropped. If the front chunk's task has not started when Next() needs it,
// the caller runs it itself: a pipeline driven from inside a pool task, or
// over a busy pool, never waits on work that nobody will run.
//
// Used by the CSV and JSON Lines readers with their own parse functions.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "kiln/core/status.h"
#include "kiln/core/thread_pool.h"
#include "kiln/io/row_chunker.h"

namespace kiln {

struct ChunkPipelineOptions {
  ThreadPool* pool = nullptr;  // Where parses run; nullptr means ThreadPool::Default().
  int max_in_flight = 0;       // Chunks read but not handed back; 0 means 2 x pool size.
};

template <typename R>
class ChunkPipeline {
 public:
  // Turns one chunk into a result. Called concurrently on different chunks,
  // so it must not touch shared mutable state. Exceptions become Internal errors.
  using ParseFunction = std::function<Result<R>(const TextChunk&)>;

  // REQUIRES: options.pool, if given, outlives the pipeline.
  ChunkPipeline(std::unique_ptr<RowChunker> chunker, ParseFunction parse, ChunkPipelineOptions options = {})
      : chunker_(std::move(chunker)),
        parse_(std::make_shared<const ParseFunction>(std::move(parse))),
        pool_(options.pool ? options.pool : &ThreadPool::Default()),
        max_in_flight_(options.max_in_flight > 0 ? options.max_in_flight : 2 * pool_->size()) {}

  // Waits for tasks that have started; tasks still queued are cancelled.
  ~ChunkPipeline() {
    for (auto& task : in_flight_) {
      if (task->claimed.exchange(true)) Wait(*task);
    }
  }

  ChunkPipeline(const ChunkPipeline&) = delete;
  ChunkPipeline& operator=(const ChunkPipeline&) = delete;

  // Sets *result to the next chunk's result in file order, or sets
  // *end = true when every chunk has been handed back. After a non-OK
  // status, every later call returns the same status.
  Status Next(R* result, bool* end) {
    *end = false;
    if (!failed_.ok()) return failed_;
    Fill();
    if (in_flight_.empty()) {
      failed_ = chunker_status_;
      *end = failed_.ok();
      return failed_;
    }
    std::shared_ptr<Task> task = std::move(in_flight_.front());
    in_flight_.pop_front();
    Fill();  // Keep the pool busy while this result is awaited and consumed.
    if (!task->claimed.exchange(true)) Run(*task, *parse_);
    Wait(*task);
    if (!task->result->ok()) {
      failed_ = task->result->status();
      return failed_;
    }
    *result = std::move(task->result->value());
    return Status::OK();
  }

  const RowChunker& chunker() const { return *chunker_; }

 private:
  struct Task {
    TextChunk chunk;                   // Input; released once parsed.
    std::atomic<bool> claimed{false};  // Set by whoever runs (or cancels) the task.
    std::mutex mutex;                  // Guards done and result.
    std::condition_variable finished;  // Signals done.
    bool done = false;                 // result is set.
    std::optional<Result<R>> result;   // The parse outcome.
  };

  // REQUIRES: the caller set task.claimed.
  static void Run(Task& task, const ParseFunction& parse) {
    std::optional<Result<R>> result;
    try {
      result.emplace(parse(task.chunk));
    } catch (const std::exception& error) {
      result.emplace(Status::Internal(std::string("chunk parse threw: ") + error.what()));
    } catch (...) {
      result.emplace(Status::Internal("chunk parse threw an unknown exception"));
    }
    task.chunk.bytes.reset();
    std::lock_guard<std::mutex> lock(task.mutex);
    task.result = std::move(result);
    task.done = true;
    task.finished.notify_all();
  }

  static void Wait(Task& task) {
    std::unique_lock<std::mutex> lock(task.mutex);
    task.finished.wait(lock, [&] { return task.done; });
  }

  // Reads and submits chunks until the window is full or the input ends.
  void Fill() {
    while (!chunker_done_ && static_cast<int>(in_flight_.size()) < max_in_flight_) {
      auto task = std::make_shared<Task>();
      bool end = false;
      chunker_status_ = chunker_->Next(&task->chunk, &end);
      if (!chunker_status_.ok() || end) {
        chunker_done_ = true;
        return;
      }
      in_flight_.push_back(task);
      // The task holds the parse function and its chunk by shared_ptr, so a
      // cancelled task that runs after the pipeline is gone touches nothing freed.
      pool_->Submit([task, parse = parse_] {
        if (!task->claimed.exchange(true)) Run(*task, *parse);
      });
    }
  }

  std::unique_ptr<RowChunker> chunker_;          // Source of chunks, read on the caller's thread.
  std::shared_ptr<const ParseFunction> parse_;   // Shared with queued tasks.
  ThreadPool* pool_;                             // Runs the parses.
  int max_in_flight_;                            // Window size.
  std::deque<std::shared_ptr<Task>> in_flight_;  // Submitted, in chunk order.
  bool chunker_done_ = false;                    // The chunker reported its end or an error.
  Status chunker_status_;                        // The chunker's error, returned after in-flight results.
  Status failed_;                                // Sticky first error.
};

}  // namespace kiln
