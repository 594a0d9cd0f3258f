// Progress: reports how far a long piece of work has come.
//
// On a terminal it draws a bar on stderr, but only once the work has run for
// about a second, so quick commands stay quiet. Off a terminal it logs a plain
// line every few seconds instead. Add() is thread-safe and cheap: drawing is
// rate-limited and done by whichever caller crosses the next deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace kiln {

class Progress {
 public:
  enum class Unit { kBytes, kRows };
  // `total` may be 0 when unknown; the bar then shows only the count and rate.
  Progress(std::string label, int64_t total, Unit unit);
  ~Progress();  // Calls Finish() if it was not called.

  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Add(int64_t amount);
  // Draws the final state (if anything was drawn) and ends the line.
  void Finish();

  // Turns all progress output off (tests, --quiet) or back on.
  static void SetEnabled(bool enabled);

 private:
  void Report();
  std::string Describe(double seconds) const;

  using Clock = std::chrono::steady_clock;
  std::string label_;                    // What is being done.
  int64_t total_;                        // Expected amount, 0 if unknown.
  Unit unit_;                            // How to print amounts.
  bool tty_;                             // stderr is a terminal.
  Clock::time_point start_;              // When the work began.
  std::atomic<int64_t> done_{0};         // Amount completed.
  std::atomic<int64_t> next_report_ns_;  // Earliest time (since start) of the next report.
  std::mutex draw_mutex_;                // One drawer at a time.
  bool drew_ = false;                    // Something was printed.
  bool finished_ = false;                // Finish() ran.
};

}  // namespace kiln
