// bench_parquet_write: how fast ParquetWriter writes a Criteo-format table
// (label int32, I1..I13 int32, C1..C26 uint32) with ZSTD and with SNAPPY,
// beside DuckDB writing the same rows with COPY ... TO parquet in the same run.
//
//   bench_parquet_write [--rows N] [--repeat R] [--threads T] [--dir DIR] [--no-peer]
//
// The table is generated once (WriteCriteoTsv, seed 7) and read with the
// Criteo CSV preset; only the writes are timed. DuckDB (from
// tools/interop/node_modules) loads the same TSV into a table first, untimed,
// with C1..C26 parsed from hex as UINTEGER, then times COPY with SET threads
// equal to Kiln's thread count. Prints every run, the medians, the file
// sizes, the ratios and the CPU.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kiln/core/cpu_info.h"
#include "kiln/core/file.h"
#include "kiln/core/thread_pool.h"
#include "kiln/gen/criteo_writer.h"
#include "kiln/io/csv_reader.h"
#include "kiln/parquet/file_writer.h"

namespace {

namespace fs = std::filesystem;
using kiln::parquet::Codec;

struct BenchOptions {
  int64_t rows = 2'000'000;                          // Rows in the table.
  int repeat = 5;                                    // Timed writes per codec and writer.
  int threads = 2;                                   // Kiln's pool and DuckDB's threads.
  std::string dir = "/tmp/kiln_bench_parquet_write";  // Scratch files, removed at the end.
  bool peer = true;                                  // Also time DuckDB.
};

bool ParseArgs(int argc, char** argv, BenchOptions* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-peer") {
      options->peer = false;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", flag.c_str());
      return false;
    }
    const char* value = argv[++i];
    if (flag == "--rows") {
      options->rows = std::atoll(value);
    } else if (flag == "--repeat") {
      options->repeat = std::max(1, std::atoi(value));
    } else if (flag == "--threads") {
      options->threads = std::max(1, std::atoi(value));
    } else if (flag == "--dir") {
      options->dir = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\nusage: bench_parquet_write [--rows N] [--repeat R] [--threads T] "
                           "[--dir DIR] [--no-peer]\n", flag.c_str());
      return false;
    }
  }
  return true;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

kiln::Result<kiln::Table> LoadTable(const BenchOptions& options, const std::string& tsv) {
  kiln::CriteoOptions criteo;
  criteo.rows = options.rows;
  criteo.seed = 7;
  auto summary = kiln::WriteCriteoTsv(tsv, criteo);
  if (!summary.ok()) return summary.status();
  auto reader = kiln::CsvReader::Open(tsv, kiln::CriteoTsvOptions());
  if (!reader.ok()) return reader.status();
  return kiln::ReadAll(reader->get());
}

struct Figure {
  double median_seconds = 0;  // Over the repetitions.
  int64_t bytes = 0;          // Size of the file written.
};

// Times WriteParquet of `table` with `codec`, `repeat` times.
kiln::Result<Figure> TimeKiln(const kiln::Table& table, Codec codec, const std::string& name,
                              const BenchOptions& options) {
  kiln::parquet::ParquetWriteOptions write;
  write.codec = codec;
  const std::string path = options.dir + "/kiln_" + name + ".parquet";
  std::vector<double> seconds;
  for (int run = 0; run < options.repeat; ++run) {
    auto start = std::chrono::steady_clock::now();
    kiln::Status status = kiln::parquet::WriteParquet(path, table, write);
    if (!status.ok()) return status;
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    std::printf("kiln   %-6s run %d: %.3f s\n", name.c_str(), run + 1, seconds.back());
  }
  return Figure{Median(seconds), static_cast<int64_t>(fs::file_size(path))};
}

// The DuckDB side, run by node from the scratch directory. Prints
// "duckdb <codec> run <i>: <s> s" per run and "duckdb <codec> median=<s> bytes=<n>".
constexpr char kDuckdbScript[] = R"JS(
import { createRequire } from 'module';
import fs from 'fs';
const [interop, tsv, dir, threads, repeat] = process.argv.slice(2);
const { DuckDBInstance } = createRequire(`${interop}/package.json`)('@duckdb/node-api');
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads=${Number(threads)}`);
const ints = Array.from({length: 13}, (_, i) => `'I${i + 1}':'INTEGER'`);
const cats = Array.from({length: 26}, (_, i) => `'C${i + 1}':'VARCHAR'`);
const columns = ["'label':'INTEGER'", ...ints, ...cats].join(',');
const select = ['label', ...Array.from({length: 13}, (_, i) => `I${i + 1}`),
  ...Array.from({length: 26}, (_, i) => `('0x' || C${i + 1})::UINTEGER AS C${i + 1}`)].join(', ');
await con.run(`CREATE TABLE t AS SELECT ${select} FROM read_csv('${tsv}', delim='\t', header=false, nullstr='', columns={${columns}})`);
for (const codec of ['zstd', 'snappy']) {
  const out = `${dir}/duckdb_${codec}.parquet`;
  const seconds = [];
  for (let run = 0; run < Number(repeat); ++run) {
    const start = process.hrtime.bigint();
    await con.run(`COPY t TO '${out}' (FORMAT parquet, COMPRESSION ${codec})`);
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    console.log(`duckdb ${codec} run ${run + 1}: ${seconds.at(-1).toFixed(3)} s`);
  }
  seconds.sort((a, b) => a - b);
  console.log(`duckdb ${codec} median=${seconds[Math.floor(seconds.length / 2)]} bytes=${fs.statSync(out).size}`);
}
)JS";

// Runs the DuckDB script; returns the figure per codec name, empty when it
// could not run (and says why).
std::map<std::string, Figure> TimeDuckdb(const std::string& tsv, const BenchOptions& options) {
  const std::string interop = KILN_SOURCE_DIR "/tools/interop";
  if (!fs::is_directory(interop + "/node_modules")) {
    std::printf("peer duckdb: not run (%s/node_modules missing: run make interop)\n", interop.c_str());
    return {};
  }
  const std::string script = options.dir + "/duckdb_write.mjs";
  if (!kiln::WriteFileAtomically(script, kDuckdbScript).ok()) return {};
  const std::string command = "node '" + script + "' '" + interop + "' '" + tsv + "' '" + options.dir + "' " +
                              std::to_string(options.threads) + " " + std::to_string(options.repeat) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {};
  std::map<std::string, Figure> figures;
  char line[1024];
  while (std::fgets(line, sizeof(line), pipe)) {
    char codec[16];
    double seconds = 0;
    long long bytes = 0;
    if (std::sscanf(line, "duckdb %15s median=%lf bytes=%lld", codec, &seconds, &bytes) == 3) {
      figures[codec] = Figure{seconds, bytes};
    } else {
      std::fputs(line, stdout);
    }
  }
  pclose(pipe);
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  if (!ParseArgs(argc, argv, &options)) return 2;
  kiln::SetDefaultThreadCount(options.threads);
  fs::create_directories(options.dir);
  const std::string tsv = options.dir + "/criteo.tsv";
  auto table = LoadTable(options, tsv);
  if (!table.ok()) {
    std::fprintf(stderr, "error: %s\n", table.status().ToString().c_str());
    return 1;
  }
  const kiln::CpuInfo& cpu = kiln::DetectCpu();
  std::printf("cpu: %s (%d logical cores; %s)\n", cpu.model.c_str(), cpu.logical_cores, cpu.FeatureString().c_str());
  std::printf("table: %lld rows x %d columns (Criteo: label, I1..I13 int32, C1..C26 uint32); threads: %d\n",
              static_cast<long long>(table->num_rows()), table->num_columns(), kiln::ThreadPool::Default().size());
  const std::vector<std::pair<std::string, Codec>> codecs = {{"zstd", kiln::parquet::format::CompressionCodec::ZSTD},
                                                             {"snappy", kiln::parquet::format::CompressionCodec::SNAPPY}};
  std::map<std::string, Figure> kiln_figures;
  for (const auto& [name, codec] : codecs) {
    auto figure = TimeKiln(*table, codec, name, options);
    if (!figure.ok()) {
      std::fprintf(stderr, "error: %s\n", figure.status().ToString().c_str());
      return 1;
    }
    kiln_figures[name] = *figure;
  }
  std::map<std::string, Figure> duckdb_figures;
  if (options.peer) duckdb_figures = TimeDuckdb(tsv, options);
  for (const auto& [name, codec] : codecs) {
    const Figure& kiln = kiln_figures[name];
    std::printf("%-6s kiln:   median %.3f s, %.2f M rows/s, %.1f MB file\n", name.c_str(), kiln.median_seconds,
                table->num_rows() / kiln.median_seconds / 1e6, kiln.bytes / 1e6);
    auto peer = duckdb_figures.find(name);
    if (peer == duckdb_figures.end()) continue;
    const Figure& duckdb = peer->second;
    std::printf("%-6s duckdb: median %.3f s, %.2f M rows/s, %.1f MB file\n", name.c_str(), duckdb.median_seconds,
                table->num_rows() / duckdb.median_seconds / 1e6, duckdb.bytes / 1e6);
    std::printf("%-6s kiln/duckdb time ratio %.2f (kiln %.2fx as fast), size ratio %.2f\n", name.c_str(),
                kiln.median_seconds / duckdb.median_seconds, duckdb.median_seconds / kiln.median_seconds,
                static_cast<double>(kiln.bytes) / duckdb.bytes);
  }
  for (const std::string& file : {tsv, kiln::CriteoMetaPath(tsv), options.dir + "/duckdb_write.mjs",
                                  options.dir + "/kiln_zstd.parquet", options.dir + "/kiln_snappy.parquet",
                                  options.dir + "/duckdb_zstd.parquet", options.dir + "/duckdb_snappy.parquet"}) {
    fs::remove(file);
  }
  return 0;
}
