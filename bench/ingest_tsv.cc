// bench_ingest_tsv FILE.tsv [--threads N] [--repeat R]
//
// Reads a Criteo-format TSV (label, I1..I13, C1..C26; no header) with
// CriteoTsvOptions() into columns, touching every batch, and prints MB/s and
// rows/s for each repetition and their median, with the thread count and CPU.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "kiln/core/cpu_info.h"
#include "kiln/core/thread_pool.h"
#include "kiln/io/csv_reader.h"

namespace {

struct Run {
  double seconds;
  int64_t rows;
  int64_t bytes;
  uint64_t checksum;  // Keeps the reads from being optimised away.
};

kiln::Result<Run> ReadOnce(const std::string& path, int threads) {
  kiln::CsvOptions options = kiln::CriteoTsvOptions();
  options.threads = threads;
  auto start = std::chrono::steady_clock::now();
  auto reader = kiln::CsvReader::Open(path, options);
  if (!reader.ok()) return reader.status();
  Run run{0, 0, 0, 0};
  for (;;) {
    kiln::RecordBatchPtr batch;
    kiln::Status status = (*reader)->Next(&batch);
    if (!status.ok()) return status;
    if (batch == nullptr) break;
    run.rows += batch->num_rows();
    // Touch one value per column, and the last label.
    for (int c = 0; c < batch->num_columns(); ++c) run.checksum += batch->column(c).Value<uint32_t>(0);
    run.checksum += batch->column(0).Value<int32_t>(batch->num_rows() - 1);
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file) {
    std::fseek(file, 0, SEEK_END);
    run.bytes = std::ftell(file);
    std::fclose(file);
  }
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.tsv [--threads N] [--repeat R]\n", argv[0]);
    return 2;
  }
  std::string path = argv[1];
  int threads = 0, repeat = 3;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
    else if (std::strcmp(argv[i], "--repeat") == 0) repeat = std::max(1, std::atoi(argv[i + 1]));
  }
  if (threads > 0) kiln::SetDefaultThreadCount(threads);
  const kiln::CpuInfo& cpu = kiln::DetectCpu();
  std::printf("cpu: %s (%d logical cores; %s)\n", cpu.model.c_str(), cpu.logical_cores, cpu.FeatureString().c_str());
  std::printf("threads: %d\n", kiln::ThreadPool::Default().size());
  std::vector<double> mbps, rowsps;
  for (int i = 0; i < repeat; ++i) {
    auto run = ReadOnce(path, 0);
    if (!run.ok()) {
      std::fprintf(stderr, "error: %s\n", run.status().ToString().c_str());
      return 1;
    }
    mbps.push_back(run->bytes / 1e6 / run->seconds);
    rowsps.push_back(run->rows / run->seconds);
    std::printf("run %d: %.3f s, %lld rows, %.1f MB/s, %.2f M rows/s (checksum %llu)\n", i + 1, run->seconds,
                static_cast<long long>(run->rows), mbps.back(), rowsps.back() / 1e6,
                static_cast<unsigned long long>(run->checksum));
  }
  std::sort(mbps.begin(), mbps.end());
  std::sort(rowsps.begin(), rowsps.end());
  std::printf("median: %.1f MB/s, %.2f M rows/s\n", mbps[mbps.size() / 2], rowsps[rowsps.size() / 2] / 1e6);
  return 0;
}
