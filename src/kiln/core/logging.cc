#include "kiln/core/logging.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace kiln {

namespace {

LogLevel LevelFromEnvironment() {
  const char* env = std::getenv("KILN_LOG");
  if (env == nullptr) return LogLevel::kInfo;
  if (std::strcmp(env, "debug") == 0) return LogLevel::kDebug;
  if (std::strcmp(env, "warn") == 0) return LogLevel::kWarn;
  if (std::strcmp(env, "error") == 0) return LogLevel::kError;
  if (std::strcmp(env, "off") == 0) return LogLevel::kOff;
  return LogLevel::kInfo;
}

std::atomic<int>& CurrentLevel() {
  static std::atomic<int> level{static_cast<int>(LevelFromEnvironment())};
  return level;
}

const char* LevelTag(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "D";
    case LogLevel::kInfo: return "I";
    case LogLevel::kWarn: return "W";
    case LogLevel::kError: return "E";
    case LogLevel::kOff: return "";
  }
  return "";
}

}  // namespace

void SetLogLevel(LogLevel level) { CurrentLevel().store(static_cast<int>(level)); }
LogLevel GetLogLevel() { return static_cast<LogLevel>(CurrentLevel().load()); }
bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= CurrentLevel().load(); }

void Log(LogLevel level, const std::string& message) {
  if (!LogEnabled(level) || level == LogLevel::kOff) return;
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  int millis = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000);
  std::tm local;
  localtime_r(&seconds, &local);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%H:%M:%S", &local);
  char prefix[48];
  std::snprintf(prefix, sizeof(prefix), "%s %s.%03d ", LevelTag(level), stamp, millis);
  std::string line = prefix + message + "\n";
  // One write() per line keeps lines whole across threads and processes.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace kiln
