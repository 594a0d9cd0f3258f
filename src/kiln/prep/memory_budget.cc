#include "kiln/prep/memory_budget.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "kiln/core/file.h"

namespace kiln::prep {

namespace {

constexpr int64_t kMinBatchRows = 1024;
constexpr int64_t kMaxBatchRows = 65536;        // The reader's default.
constexpr int64_t kMinRowGroupRows = 4096;
constexpr int64_t kMaxRowGroupRows = 1'000'000;  // The Parquet writer's default.
constexpr int64_t kParsedPerTextByte = 3;       // A parsed batch against its text.
// What a run touches beyond its start whatever the plan: worker stacks,
// compression contexts, allocator slack (measured: about 15 MB).
constexpr int64_t kRuntimeBytes = 16 << 20;

}  // namespace

Result<MemoryPlan> PlanMemory(int64_t limit, int64_t baseline, int64_t row_bytes, int threads) {
  int64_t margin = limit / 8 + kRuntimeBytes;
  int64_t usable = limit - baseline - margin;
  if (usable < limit / 4) {
    return Status::InvalidArgument("memory limit " + std::to_string(limit >> 20) + " MB: the process already holds " +
                                   std::to_string(baseline >> 20) + " MB; give at least " +
                                   std::to_string(((baseline + kRuntimeBytes) * 8 / 5 >> 20) + 1) + " MB");
  }
  MemoryPlan plan;
  int64_t batches_in_flight = 3 * threads + 2;
  int64_t batch_bytes = usable / 4 / batches_in_flight / kParsedPerTextByte;
  plan.batch_rows = std::clamp(batch_bytes / row_bytes, kMinBatchRows, kMaxBatchRows);
  plan.row_group_rows = std::clamp(usable / 8 / (row_bytes * kParsedPerTextByte), kMinRowGroupRows, kMaxRowGroupRows);
  plan.statistics_bytes = usable - usable / 4 - usable / 8;
  return plan;
}

Result<int64_t> SampleRowBytes(const std::string& path) {
  constexpr int64_t kSampleBytes = 64 << 10;
  auto file = InputFile::Open(path);
  if (!file.ok()) return file.status();
  std::string sample(std::min(kSampleBytes, (*file)->size()), '\0');
  Status status = (*file)->ReadExactly(0, static_cast<int64_t>(sample.size()), sample.data());
  if (!status.ok()) return status;
  int64_t lines = std::count(sample.begin(), sample.end(), '\n');
  return std::max<int64_t>(1, static_cast<int64_t>(sample.size()) / std::max<int64_t>(1, lines));
}

Result<int64_t> ParseByteSize(const std::string& text) {
  char* end = nullptr;
  double number = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(number) || number < 0) {
    return Status::InvalidArgument("'" + text + "' is not a byte size (e.g. 256MB)");
  }
  std::string unit(end);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.ends_with("ib")) unit.resize(unit.size() - 2);
  else if (unit.ends_with("b")) unit.resize(unit.size() - 1);
  const std::string units = "kmgt";
  double scale = 1;
  if (unit.size() == 1 && units.find(unit[0]) != std::string::npos) {
    scale = std::pow(1024.0, static_cast<double>(units.find(unit[0]) + 1));
  } else if (!unit.empty()) {
    return Status::InvalidArgument("'" + text + "': unknown unit (use K, M, G or T)");
  }
  return static_cast<int64_t>(number * scale);
}

}  // namespace kiln::prep
