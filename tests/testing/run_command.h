// RunCommand: runs a shell command, as the CLI and interop tests do with the
// kiln binary and the node peers.
#pragma once

#include <string>

namespace kiln::testing {

// Runs `command` with /bin/sh and returns its stdout (append " 2>&1" to the
// command to capture stderr too); *exit_code gets its exit status, or -1 if
// it did not exit normally.
std::string RunCommand(const std::string& command, int* exit_code);

// What one run of the kiln binary printed and how it exited.
struct KilnRun {
  int exit_code = -1;  // As RunCommand's.
  std::string output;  // stdout and stderr together.
};

// Runs `ENVIRONMENT BUILD_DIR/kiln ARGUMENTS 2>&1`; `environment` is empty
// or assignments such as "KILN_LOG=info".
KilnRun RunKiln(const std::string& arguments, const std::string& environment = "");

}  // namespace kiln::testing
