#include "kiln/data/prefetcher.h"

#include <chrono>

#include "kiln/core/thread_pool.h"

namespace kiln::data {

Prefetcher::Prefetcher(const DataSource* source, std::vector<PlanSlice> slices, const PrefetchOptions& options)
    : source_(source),
      slices_(std::move(slices)),
      memory_limit_(options.memory_limit_bytes),
      thread_count_(options.threads > 0 ? options.threads : DefaultThreadCount()) {
  thread_count_ = std::max(1, thread_count_);
  Start();
}

Prefetcher::~Prefetcher() { Stop(); }

void Prefetcher::Start() {
  for (int i = 0; i < thread_count_; ++i) threads_.emplace_back([this] { Work(); });
}

void Prefetcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void Prefetcher::Restart(std::vector<PlanSlice> slices) {
  Stop();
  for (auto& [index, staged] : staged_) spare_.push_back(std::move(staged.block));
  staged_.clear();
  slices_ = std::move(slices);
  next_claim_ = next_deliver_ = 0;
  reserved_ = 0;
  stopping_ = false;
  Start();
}

void Prefetcher::Work() {
  const int64_t row_bytes = source_->mapping().RowBytes();
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] {
      if (stopping_ || next_claim_ == slices_.size()) return true;
      int64_t bytes = slices_[next_claim_].count * row_bytes;
      return reserved_ == 0 || reserved_ + bytes <= memory_limit_;
    });
    if (stopping_ || next_claim_ == slices_.size()) return;
    const size_t index = next_claim_++;
    const PlanSlice& slice = slices_[index];
    Staged staged;
    staged.bytes = slice.count * row_bytes;
    reserved_ += staged.bytes;
    if (!spare_.empty()) {
      staged.block = std::move(spare_.back());
      spare_.pop_back();
    }
    lock.unlock();
    staged.status = source_->Read(slice.unit, slice.begin, slice.count, slice.padded, &staged.block);
    lock.lock();
    staged_[index] = std::move(staged);
    changed_.notify_all();
  }
}

Status Prefetcher::Next(Batch* block, bool* end) {
  std::unique_lock<std::mutex> lock(mutex_);
  *end = next_deliver_ == slices_.size();
  if (*end) return Status::OK();
  auto found = staged_.find(next_deliver_);
  if (found == staged_.end()) {
    auto start = std::chrono::steady_clock::now();
    changed_.wait(lock, [&] { return staged_.count(next_deliver_) > 0; });
    blocked_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    found = staged_.find(next_deliver_);
  }
  Staged staged = std::move(found->second);
  staged_.erase(found);
  ++next_deliver_;
  reserved_ -= staged.bytes;
  changed_.notify_all();
  if (!staged.status.ok()) return staged.status;
  std::swap(*block, staged.block);
  spare_.push_back(std::move(staged.block));
  return Status::OK();
}

int64_t Prefetcher::reserved_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reserved_;
}

}  // namespace kiln::data
