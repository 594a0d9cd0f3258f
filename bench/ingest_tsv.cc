// bench_ingest_tsv FILE.tsv [--threads N] [--repeat R] [--no-peer]
//
// Reads a Criteo-format TSV (label, I1..I13, C1..C26; no header) with
// CriteoTsvOptions() into columns, touching every batch, and prints MB/s and
// rows/s for each repetition and their median, with the thread count and CPU.
// Then, unless --no-peer, the peer's figure from the same run: DuckDB reading
// the file into a table (ingest_tsv_duckdb.mjs; needs the peers installed).
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

// Runs the DuckDB peer on the same file and prints its figure, or why not.
void RunPeer(const std::string& path, int threads, int64_t bytes, int64_t rows) {
  std::string command = "node " KILN_BENCH_DIR "/ingest_tsv_duckdb.mjs '" + path + "' " + std::to_string(threads) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return;
  char line[512];
  double seconds = 0;
  std::string output;
  while (std::fgets(line, sizeof(line), pipe)) {
    output += line;
    std::sscanf(line, "duckdb seconds=%lf", &seconds);
  }
  pclose(pipe);
  if (seconds <= 0) {
    std::printf("peer duckdb: not run (%s)\n", output.substr(0, 200).c_str());
    return;
  }
  std::printf("peer duckdb (read_csv into a table, C as VARCHAR): %.3f s, %.1f MB/s, %.2f M rows/s\n", seconds,
              bytes / 1e6 / seconds, rows / seconds / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.tsv [--threads N] [--repeat R]\n", argv[0]);
    return 2;
  }
  std::string path = argv[1];
  int threads = 0, repeat = 3;
  bool peer = true;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-peer") == 0) peer = false;
    else if (i + 1 < argc && std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[++i]);
    else if (i + 1 < argc && std::strcmp(argv[i], "--repeat") == 0) repeat = std::max(1, std::atoi(argv[++i]));
  }
  if (threads > 0) kiln::SetDefaultThreadCount(threads);
  const kiln::CpuInfo& cpu = kiln::DetectCpu();
  std::printf("cpu: %s (%d logical cores; %s)\n", cpu.model.c_str(), cpu.logical_cores, cpu.FeatureString().c_str());
  std::printf("threads: %d\n", kiln::ThreadPool::Default().size());
  std::vector<double> mbps, rowsps;
  int64_t bytes = 0, rows = 0;
  for (int i = 0; i < repeat; ++i) {
    auto run = ReadOnce(path, 0);
    if (!run.ok()) {
      std::fprintf(stderr, "error: %s\n", run.status().ToString().c_str());
      return 1;
    }
    bytes = run->bytes;
    rows = run->rows;
    mbps.push_back(run->bytes / 1e6 / run->seconds);
    rowsps.push_back(run->rows / run->seconds);
    std::printf("run %d: %.3f s, %lld rows, %.1f MB/s, %.2f M rows/s (checksum %llu)\n", i + 1, run->seconds,
                static_cast<long long>(run->rows), mbps.back(), rowsps.back() / 1e6,
                static_cast<unsigned long long>(run->checksum));
  }
  std::sort(mbps.begin(), mbps.end());
  std::sort(rowsps.begin(), rowsps.end());
  std::printf("median: %.1f MB/s, %.2f M rows/s\n", mbps[mbps.size() / 2], rowsps[rowsps.size() / 2] / 1e6);
  if (peer) RunPeer(path, kiln::ThreadPool::Default().size(), bytes, rows);
  return 0;
}
