// bench_gen_criteo: how fast WriteCriteoTsv writes a synthetic Criteo log,
// beside the peer generator (numpy) timed in the same run.
//
//   bench_gen_criteo [--rows N] [--repeat R] [--out PATH] [--peer SCRIPT]
//
// Prints rows/s and MB/s per repetition and their medians, the thread count
// and the CPU. The peer runs once, when Debian's python3 can import numpy.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "kiln/core/cpu_info.h"
#include "kiln/core/thread_pool.h"
#include "kiln/gen/criteo_writer.h"

namespace {

struct BenchOptions {
  int64_t rows = 2000000;                                   // Rows per repetition.
  int repeat = 3;                                           // Timed repetitions.
  std::string out = "/tmp/kiln_bench_gen_criteo.tsv";       // Output, removed at the end.
  std::string peer = KILN_PEERS_DIR "/gen_criteo.py";        // The numpy generator.
};

bool ParseArgs(int argc, char** argv, BenchOptions* options) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", flag.c_str());
      return false;
    }
    const char* value = argv[++i];
    if (flag == "--rows") {
      options->rows = std::atoll(value);
    } else if (flag == "--repeat") {
      options->repeat = std::atoi(value);
    } else if (flag == "--out") {
      options->out = value;
    } else if (flag == "--peer") {
      options->peer = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\nusage: bench_gen_criteo [--rows N] [--repeat R] [--out PATH] [--peer SCRIPT]\n",
                   flag.c_str());
      return false;
    }
  }
  return options->rows > 0 && options->repeat > 0;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// User plus system CPU seconds this process has used so far.
double ProcessCpuSeconds() {
  rusage usage;
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Times the peer once; returns its seconds, or a negative value if skipped.
double TimePeer(const BenchOptions& options) {
  if (std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") != 0) {
    std::printf("peer: skipped (python3 cannot import numpy; run " KILN_PEERS_DIR "/install.sh)\n");
    return -1;
  }
  struct stat info;
  if (::stat(options.peer.c_str(), &info) != 0) {
    std::printf("peer: skipped (%s not found)\n", options.peer.c_str());
    return -1;
  }
  const std::string peer_out = options.out + ".peer.tsv";
  const std::string command =
      "/usr/bin/python3 " + options.peer + " " + std::to_string(options.rows) + " " + peer_out + " 7 >/dev/null";
  const auto start = std::chrono::steady_clock::now();
  const int exit_code = std::system(command.c_str());
  const double seconds = SecondsSince(start);
  ::unlink(peer_out.c_str());
  ::unlink((peer_out + ".bayes_auc").c_str());
  if (exit_code != 0) {
    std::printf("peer: failed (exit code %d): %s\n", exit_code, command.c_str());
    return -1;
  }
  std::printf("peer gen_criteo.py: %.2f s, %.0f rows/s\n", seconds, options.rows / seconds);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions options;
  if (!ParseArgs(argc, argv, &options)) return 2;
  const kiln::CpuInfo& cpu = kiln::DetectCpu();
  std::printf("cpu: %s (%d logical cores; %s)\n", cpu.model.c_str(), cpu.logical_cores,
              cpu.FeatureString().c_str());
  std::printf("threads: %d\n", kiln::ThreadPool::Default().size());

  kiln::CriteoOptions criteo;
  criteo.rows = options.rows;
  criteo.seed = 7;
  std::vector<double> seconds;
  kiln::CriteoSummary summary;
  for (int run = 0; run < options.repeat; ++run) {
    // Start each run like the first, with no old output whose pages the new
    // file would have to be written beside.
    ::unlink(options.out.c_str());
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ProcessCpuSeconds();
    auto result = kiln::WriteCriteoTsv(options.out, criteo);
    seconds.push_back(SecondsSince(start));
    const double cpu_seconds = ProcessCpuSeconds() - cpu_start;
    if (!result.ok()) {
      std::fprintf(stderr, "WriteCriteoTsv failed: %s\n", result.status().ToString().c_str());
      return 1;
    }
    summary = *result;
    // CPU time shows how much of a slow run was other processes' load.
    std::printf("run %d: %.3f s, %.0f rows/s, %.0f MB/s (cpu %.2f s, %.0f ns of cpu per row)\n", run + 1,
                seconds.back(), options.rows / seconds.back(), summary.bytes / 1e6 / seconds.back(), cpu_seconds,
                cpu_seconds * 1e9 / options.rows);
  }
  const double median = Median(seconds);
  std::printf("kiln gen criteo: rows=%lld bytes=%lld median %.3f s, %.0f rows/s, %.0f MB/s"
              " (positive_rate=%.4f bayes_auc=%.4f)\n",
              static_cast<long long>(options.rows), static_cast<long long>(summary.bytes), median,
              options.rows / median, summary.bytes / 1e6 / median, summary.positive_rate, summary.bayes_auc);
  ::unlink(options.out.c_str());
  ::unlink(kiln::CriteoMetaPath(options.out).c_str());

  const double peer_seconds = TimePeer(options);
  if (peer_seconds > 0) std::printf("ratio: kiln is %.1fx faster than the peer\n", peer_seconds / median);
  return 0;
}
