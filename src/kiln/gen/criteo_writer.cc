#include "kiln/gen/criteo_writer.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <vector>

#include "kiln/core/file.h"
#include "kiln/core/progress.h"
#include "kiln/gen/auc.h"
#include "kiln/gen/criteo_generator.h"
#include "kiln/gen/criteo_tsv.h"

namespace kiln {

namespace {

constexpr int64_t kBlockRows = 16384;  // Rows per task: about 4 MB of text.
constexpr int64_t kChunkRows = 256;    // Rows generated then formatted while still in cache.

// One block's output, produced on a worker and consumed in order.
struct Block {
  int64_t rows = 0;                     // Lines in `text`.
  std::string text;                     // The lines.
  std::vector<uint32_t> scored_labels;  // Per row: probability bucket << 1 | label.
};

Block GenerateBlock(const CriteoGenerator& generator, int64_t first_row, int64_t row_count) {
  Block block;
  block.rows = row_count;
  block.text.reserve(static_cast<size_t>(row_count) * 300);
  block.scored_labels.reserve(row_count);
  CriteoRows rows;
  for (int64_t done = 0; done < row_count; done += kChunkRows) {
    const int64_t count = std::min(kChunkRows, row_count - done);
    generator.GenerateRows(first_row + done, count, &rows);
    AppendCriteoTsv(rows, &block.text);
    for (int64_t i = 0; i < count; ++i) {
      block.scored_labels.push_back(rows.probability_buckets[i] << 1 | rows.labels[i]);
    }
  }
  return block;
}

void AppendJsonNumber(std::string* out, const char* key, double value, bool last = false) {
  char buffer[64];
  if (std::isfinite(value)) {
    std::snprintf(buffer, sizeof(buffer), "  \"%s\": %.17g%s\n", key, value, last ? "" : ",");
  } else {
    std::snprintf(buffer, sizeof(buffer), "  \"%s\": null%s\n", key, last ? "" : ",");
  }
  out->append(buffer);
}

void AppendJsonInteger(std::string* out, const char* key, uint64_t value) {
  out->append("  \"").append(key).append("\": ").append(std::to_string(value)).append(",\n");
}

std::string MetaJson(const CriteoSummary& summary) {
  std::string json = "{\n  \"format\": \"criteo-tsv\",\n";
  AppendJsonInteger(&json, "rows", summary.rows);
  AppendJsonInteger(&json, "seed", summary.seed);
  AppendJsonInteger(&json, "bytes", summary.bytes);
  AppendJsonInteger(&json, "positives", summary.positives);
  AppendJsonInteger(&json, "probability_buckets", CriteoGenerator::kProbabilityBuckets);
  AppendJsonNumber(&json, "positive_rate", summary.positive_rate);
  AppendJsonNumber(&json, "bayes_auc", summary.bayes_auc, /*last=*/true);
  json.append("}\n");
  return json;
}

// Generates every block on `pool`, at most a few blocks ahead of the writer so
// memory stays bounded, and appends them to `file` in order while counting
// labels per probability bucket. Always waits for every task it started, even
// after an error, because the tasks refer to this frame.
Status WriteBlocks(const CriteoGenerator& generator, ThreadPool* pool, OutputFile* file,
                   BucketAucCounter* counter, Progress* progress) {
  const int64_t total_rows = generator.rows();
  const int64_t block_count = (total_rows + kBlockRows - 1) / kBlockRows;
  const size_t window = static_cast<size_t>(2 * pool->size() + 2);
  std::deque<std::future<Block>> in_flight;
  int64_t next_block = 0;
  auto submit_next = [&] {
    const int64_t first_row = next_block * kBlockRows;
    const int64_t row_count = std::min(kBlockRows, total_rows - first_row);
    in_flight.push_back(pool->Submit(
        [&generator, first_row, row_count] { return GenerateBlock(generator, first_row, row_count); }));
    ++next_block;
  };

  Status status;
  while (next_block < block_count && in_flight.size() < window) submit_next();
  while (!in_flight.empty()) {
    Block block;
    try {
      block = in_flight.front().get();
    } catch (const std::exception& error) {
      if (status.ok()) status = Status::Internal(std::string("generating criteo rows: ") + error.what());
    }
    in_flight.pop_front();
    if (status.ok()) status = file->Append(block.text);
    if (!status.ok()) continue;  // Drain the rest without starting more.
    for (uint32_t scored : block.scored_labels) counter->Add(scored >> 1, (scored & 1) != 0);
    if (progress != nullptr) progress->Add(block.rows);
    if (next_block < block_count) submit_next();
  }
  return status;
}

Status RemoveIfPresent(const std::string& path) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return Status::OK();
  return Status::FromErrno("remove " + path, errno);
}

}  // namespace

std::string CriteoMetaPath(const std::string& path) { return path + ".meta.json"; }

Result<CriteoSummary> WriteCriteoTsv(const std::string& path, const CriteoOptions& options, ThreadPool* pool) {
  if (path.empty()) return Status::InvalidArgument("gen criteo: the output path is empty");
  if (options.rows < 0) {
    return Status::InvalidArgument("gen criteo: rows must be >= 0, got " + std::to_string(options.rows));
  }
  if (pool == nullptr) pool = &ThreadPool::Default();

  auto file = OutputFile::Create(path);
  if (!file.ok()) return file.status();
  const CriteoGenerator generator(options.rows, options.seed);
  BucketAucCounter counter(CriteoGenerator::kProbabilityBuckets);
  std::unique_ptr<Progress> progress;
  if (options.show_progress) progress = std::make_unique<Progress>("gen criteo", options.rows, Progress::Unit::kRows);

  Status status = WriteBlocks(generator, pool, file->get(), &counter, progress.get());
  if (!status.ok()) return status;
  if (progress != nullptr) progress->Finish();

  CriteoSummary summary;
  summary.rows = options.rows;
  summary.seed = options.seed;
  summary.positives = counter.positives();
  summary.positive_rate = options.rows > 0 ? static_cast<double>(counter.positives()) / options.rows : 0.0;
  summary.bayes_auc = counter.Auc();
  summary.bytes = (*file)->bytes_written();

  const std::string meta_path = CriteoMetaPath(path);
  status = RemoveIfPresent(meta_path);
  if (status.ok()) status = (*file)->Commit();
  if (status.ok()) status = WriteFileAtomically(meta_path, MetaJson(summary));
  if (!status.ok()) return status;
  return summary;
}

}  // namespace kiln
