// Logging: timestamped lines on stderr, filtered by level.
//
// The level comes from SetLogLevel() (the CLI's --verbose/--quiet) or the
// KILN_LOG environment variable (debug, info, warn, error). Lines are written
// whole, so threads do not interleave within a line.
#pragma once

#include <string>

namespace kiln {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kOff = 4 };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
bool LogEnabled(LogLevel level);

void Log(LogLevel level, const std::string& message);
inline void LogDebug(const std::string& message) { Log(LogLevel::kDebug, message); }
inline void LogInfo(const std::string& message) { Log(LogLevel::kInfo, message); }
inline void LogWarn(const std::string& message) { Log(LogLevel::kWarn, message); }
inline void LogError(const std::string& message) { Log(LogLevel::kError, message); }

}  // namespace kiln
