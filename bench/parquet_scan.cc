// bench_parquet_scan [FILE.parquet] [--threads N] [--repeat R] [--no-peer]
//
// A full scan of a Parquet file (by default shared/datasets/flights-3m.parquet)
// into Kiln columns with ReadParquet, R times, printing each run and the
// median in rows/s and MB/s of file, and the streaming reader's median. Then, unless --no-peer, the peer's
// figure from the same run: DuckDB (tools/interop/node_modules) reading the
// same file into an in-memory table with the same thread count, and the
// ratio of the medians.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "kiln/core/batch_stream.h"
#include "kiln/core/cpu_info.h"
#include "kiln/parquet/file_reader.h"

namespace {

// DuckDB's side, run with node: CREATE TABLE AS SELECT * FROM read_parquet,
// timed R times (after one warm-up), printing "duckdb seconds=S" per run.
constexpr char kDuckDbScript[] = R"JS(
import { createRequire } from 'module';
const [interop, file, threads, repeat] = process.argv.slice(1);
const { DuckDBInstance } = createRequire(`${interop}/`)('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads=${Number(threads)}`);
const scan = `CREATE OR REPLACE TABLE t AS SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`;
await con.run(scan);
for (let i = 0; i < Number(repeat); ++i) {
  await con.run('DROP TABLE t');
  const start = process.hrtime.bigint();
  await con.run(scan);
  console.log(`duckdb seconds=${Number(process.hrtime.bigint() - start) / 1e9}`);
}
)JS";

struct Run {
  double seconds = 0;
  int64_t rows = 0;
  int64_t checksum = 0;  // Keeps the decode from being optimised away.
};

// A full scan: the whole table at once (ReadParquet), or batch by batch
// through the streaming reader with its default window of row groups.
kiln::Result<Run> ScanOnce(const std::string& path, int threads, bool streaming) {
  kiln::parquet::ParquetReadOptions options;
  options.threads = threads;
  auto start = std::chrono::steady_clock::now();
  kiln::Result<kiln::Table> table = kiln::Status::Internal("not read");
  if (streaming) {
    auto reader = kiln::parquet::ParquetReader::Open(path, options);
    if (!reader.ok()) return reader.status();
    table = kiln::ReadAll(reader->get());
  } else {
    table = kiln::parquet::ReadParquet(path, options);
  }
  if (!table.ok()) return table.status();
  Run run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.rows = table->num_rows();
  for (const kiln::RecordBatchPtr& batch : table->batches()) {
    for (int c = 0; c < batch->num_columns(); ++c) run.checksum += batch->column(c).null_count() + c;
  }
  return run;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// Runs the DuckDB peer; returns its median seconds, or 0 with the reason printed.
double RunPeer(const std::string& path, int threads, int repeat) {
  const std::string interop = KILN_SOURCE_DIR "/tools/interop";
  const std::string command = "node --input-type=module -e " + ShellQuote(kDuckDbScript) + " " + ShellQuote(interop) +
                              " " + ShellQuote(path) + " " + std::to_string(threads) + " " + std::to_string(repeat) +
                              " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return 0;
  std::vector<double> runs;
  std::string output;
  char line[1024];
  while (std::fgets(line, sizeof(line), pipe)) {
    double seconds = 0;
    if (std::sscanf(line, "duckdb seconds=%lf", &seconds) == 1)
      runs.push_back(seconds);
    else
      output += line;
  }
  pclose(pipe);
  if (runs.empty()) {
    std::printf("peer duckdb: not run (%s)\n", output.substr(0, 300).c_str());
    return 0;
  }
  for (size_t i = 0; i < runs.size(); ++i) std::printf("duckdb run %zu: %.3f s\n", i + 1, runs[i]);
  return Median(runs);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = KILN_SOURCE_DIR "/../shared/datasets/flights-3m.parquet";
  int threads = 2, repeat = 7;
  bool peer = true;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-peer") == 0)
      peer = false;
    else if (i + 1 < argc && std::strcmp(argv[i], "--threads") == 0)
      threads = std::max(1, std::atoi(argv[++i]));
    else if (i + 1 < argc && std::strcmp(argv[i], "--repeat") == 0)
      repeat = std::max(5, std::atoi(argv[++i]));
    else
      path = argv[i];
  }
  const kiln::CpuInfo& cpu = kiln::DetectCpu();
  std::printf("cpu: %s (%d logical cores; %s)\n", cpu.model.c_str(), cpu.logical_cores, cpu.FeatureString().c_str());
  std::printf("file: %s\nthreads: %d\n", path.c_str(), threads);
  FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    std::fprintf(stderr, "error: cannot open %s\n", path.c_str());
    return 1;
  }
  std::fseek(file, 0, SEEK_END);
  const double megabytes = std::ftell(file) / 1e6;
  std::fclose(file);
  std::vector<double> seconds, streaming_seconds;
  int64_t rows = 0;
  for (int i = 0; i <= repeat; ++i) {
    auto run = ScanOnce(path, threads, /*streaming=*/false);
    auto streamed = ScanOnce(path, threads, /*streaming=*/true);
    if (!run.ok() || !streamed.ok()) {
      std::fprintf(stderr, "error: %s\n", (run.ok() ? streamed.status() : run.status()).ToString().c_str());
      return 1;
    }
    rows = run->rows;
    if (i == 0) continue;  // Warm-up: page cache and allocator.
    seconds.push_back(run->seconds);
    streaming_seconds.push_back(streamed->seconds);
    std::printf("kiln run %d: %.3f s, %.1f M rows/s, %.1f MB/s; streaming %.3f s (checksum %lld)\n", i, run->seconds,
                rows / run->seconds / 1e6, megabytes / run->seconds, streamed->seconds,
                static_cast<long long>(run->checksum));
  }
  const double kiln_median = Median(seconds);
  std::printf("kiln median: %.3f s, %.1f M rows/s, %.1f MB/s (%lld rows, %.1f MB)\n", kiln_median,
              rows / kiln_median / 1e6, megabytes / kiln_median, static_cast<long long>(rows), megabytes);
  const double streaming_median = Median(streaming_seconds);
  std::printf("kiln streaming median (row groups in windows): %.3f s, %.1f M rows/s\n", streaming_median,
              rows / streaming_median / 1e6);
  if (!peer) return 0;
  const double duckdb_median = RunPeer(path, threads, repeat);
  if (duckdb_median <= 0) return 0;
  std::printf("duckdb median (read_parquet into a table): %.3f s, %.1f M rows/s, %.1f MB/s\n", duckdb_median,
              rows / duckdb_median / 1e6, megabytes / duckdb_median);
  std::printf("ratio kiln/duckdb speed: %.2fx\n", duckdb_median / kiln_median);
  return 0;
}
