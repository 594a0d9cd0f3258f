#include "kiln/core/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "kiln/core/logging.h"

namespace kiln {

namespace {

std::atomic<bool> progress_enabled{true};

constexpr int64_t kFirstDrawNs = 1'000'000'000;     // Quiet for the first second.
constexpr int64_t kTtyIntervalNs = 100'000'000;     // Redraw a bar 10 times a second.
constexpr int64_t kLogIntervalNs = 5'000'000'000;   // A log line every 5 seconds.

std::string FormatAmount(double amount, Progress::Unit unit) {
  char text[32];
  if (unit == Progress::Unit::kBytes) {
    const char* suffixes[] = {"B", "KB", "MB", "GB", "TB"};
    int i = 0;
    while (amount >= 1000 && i < 4) amount /= 1000, ++i;
    std::snprintf(text, sizeof(text), "%.1f %s", amount, suffixes[i]);
  } else {
    const char* suffixes[] = {"", "k", "M", "G"};
    int i = 0;
    while (amount >= 1000 && i < 3) amount /= 1000, ++i;
    std::snprintf(text, sizeof(text), i ? "%.1f%s rows" : "%.0f%s rows", amount, suffixes[i]);
  }
  return text;
}

}  // namespace

void Progress::SetEnabled(bool enabled) { progress_enabled.store(enabled); }

Progress::Progress(std::string label, int64_t total, Unit unit)
    : label_(std::move(label)),
      total_(total),
      unit_(unit),
      tty_(isatty(STDERR_FILENO) == 1),
      start_(Clock::now()),
      next_report_ns_(tty_ ? kFirstDrawNs : kLogIntervalNs) {}

Progress::~Progress() { Finish(); }

void Progress::Add(int64_t amount) {
  done_.fetch_add(amount, std::memory_order_relaxed);
  int64_t elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
  int64_t due = next_report_ns_.load(std::memory_order_relaxed);
  if (elapsed < due) return;
  if (!next_report_ns_.compare_exchange_strong(due, elapsed + (tty_ ? kTtyIntervalNs : kLogIntervalNs))) return;
  Report();
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (finished_) return;
  finished_ = true;
  if (drew_ && tty_ && progress_enabled.load()) {
    double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    std::string line = "\r\033[K" + Describe(seconds) + "\n";
    ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
    (void)ignored;
  }
}

std::string Progress::Describe(double seconds) const {
  int64_t done = done_.load();
  std::string text = label_ + " ";
  if (total_ > 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / total_);
    const int width = 30;
    int filled = static_cast<int>(fraction * width);
    text += "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
    char percent[16];
    std::snprintf(percent, sizeof(percent), "%3.0f%% ", fraction * 100);
    text += percent;
  }
  text += FormatAmount(done, unit_);
  if (seconds > 0) text += ", " + FormatAmount(done / seconds, unit_) + "/s";
  return text;
}

void Progress::Report() {
  if (!progress_enabled.load()) return;
  std::lock_guard<std::mutex> lock(draw_mutex_);
  if (finished_) return;
  double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  if (tty_) {
    std::string line = "\r\033[K" + Describe(seconds);
    ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
    (void)ignored;
  } else {
    LogInfo(Describe(seconds));
  }
  drew_ = true;
}

}  // namespace kiln
