#include "kiln/core/thread_pool.h"

#include <atomic>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(ThreadPoolTest, SubmitReturnsResults) {
  ThreadPool pool(3);
  std::vector<std::future<int>> results;
  for (int i = 0; i < 20; ++i) results.push_back(pool.Submit([i] { return i * i; }));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(results[i].get(), i * i);
}

TEST(ThreadPoolTest, ParallelForRunsEachIndexOnce) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> hits(1000);
  pool.ParallelFor(1000, [&](int64_t i) { hits[i].fetch_add(1); });
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(hits[i].load(), 1) << i;
}

TEST(ThreadPoolTest, MoreThreadsThanWork) {
  ThreadPool pool(8);
  std::atomic<int> sum{0};
  pool.ParallelFor(2, [&](int64_t i) { sum += static_cast<int>(i) + 1; });
  EXPECT_EQ(sum.load(), 3);
  pool.ParallelFor(0, [&](int64_t) { sum += 100; });
  EXPECT_EQ(sum.load(), 3);
}

TEST(ThreadPoolTest, NestedParallelForDoesNotDeadlock) {
  ThreadPool pool(2);
  std::atomic<int> count{0};
  pool.ParallelFor(4, [&](int64_t) { pool.ParallelFor(4, [&](int64_t) { count.fetch_add(1); }); });
  EXPECT_EQ(count.load(), 16);
}

TEST(ThreadPoolTest, ParallelForRethrowsAfterAllIndicesFinish) {
  ThreadPool pool(2);
  std::atomic<int> ran{0};
  EXPECT_THROW(pool.ParallelFor(50,
                                [&](int64_t i) {
                                  ran.fetch_add(1);
                                  if (i == 7) throw std::runtime_error("boom");
                                }),
               std::runtime_error);
  EXPECT_EQ(ran.load(), 50);
}

TEST(ThreadPoolTest, DefaultThreadCountHonoursOverride) {
  SetDefaultThreadCount(3);
  EXPECT_EQ(DefaultThreadCount(), 3);
  SetDefaultThreadCount(0);
  EXPECT_GE(DefaultThreadCount(), 1);
}

}  // namespace
}  // namespace kiln
