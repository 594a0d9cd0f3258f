#include "kiln/io/parallel_format.h"

#include <algorithm>
#include <vector>

#include "kiln/core/thread_pool.h"

namespace kiln {

namespace {
// Small enough to spread a batch over the cores, large enough that task
// overhead stays negligible.
constexpr int64_t kRowsPerTask = 8192;
}  // namespace

Status FormatRowsInParallel(int64_t rows, const RowRangeFormatter& format, const TextSink& sink) {
  const int64_t tasks = (rows + kRowsPerTask - 1) / kRowsPerTask;
  std::vector<std::string> pieces(tasks);
  ThreadPool::Default().ParallelFor(tasks, [&](int64_t task) {
    int64_t begin = task * kRowsPerTask;
    format(begin, std::min(rows, begin + kRowsPerTask), &pieces[task]);
  });
  for (const std::string& piece : pieces) {
    Status status = sink(piece);
    if (!status.ok()) return status;
  }
  return Status::OK();
}

}  // namespace kiln
