// Child processes: start a program with posix_spawn, its stdin fed from a
// string and its stdout and stderr together either in a file or in a pipe
// the parent reads. What `kiln tune` runs trials with and `kiln run` runs
// workflow stages with.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "kiln/core/status.h"

namespace kiln {

struct ChildOptions {
  std::vector<std::string> argv;         // argv[0] is the program's path (no PATH search).
  std::vector<std::string> environment;  // "NAME=value" entries; empty: this process's environment.
  std::string stdin_text;                // Written to the child's stdin, which is then closed.
  std::string output_path;               // stdout and stderr go to this file (truncated); "": to a pipe.
  bool new_process_group = false;        // Lead a new process group (so the caller can kill all of it).
};

// A started child. The caller waits for it (waitpid on pid, or Wait()).
struct ChildProcess {
  pid_t pid = -1;      // The child.
  int output_fd = -1;  // Read end of the output pipe when output_path was ""; the caller closes it.
};

// REQUIRES: !options.argv.empty(). SIGPIPE should be ignored by the caller
// when the child may not read all of stdin_text.
Result<ChildProcess> StartChild(const ChildOptions& options);

// Waits for `pid` to exit and returns its wait status (see DescribeExit).
Result<int> WaitForChild(pid_t pid);

// "" when the status is a zero exit, else "exit code N" or "killed by signal N".
std::string DescribeExit(int wait_status);

// The last non-empty line of a (log) file, cut to 200 bytes, for failure
// messages; "" when there is none.
std::string LastLineOf(const std::string& path);

// Runs a child whose output pipe is copied, as it arrives, to `log_path`
// (created or truncated) and, when `echo_fd` >= 0, to that descriptor too.
// Returns the wait status. REQUIRES: options.output_path is "".
Result<int> RunChildTeed(const ChildOptions& options, const std::string& log_path, int echo_fd);

}  // namespace kiln
