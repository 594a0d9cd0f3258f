#include "testing/run_command.h"

#include <sys/wait.h>

#include <cstdio>

namespace kiln::testing {

std::string RunCommand(const std::string& command, int* exit_code) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *exit_code = -1;
    return output;
  }
  char buffer[65536];
  for (size_t got; (got = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) output.append(buffer, got);
  int status = pclose(pipe);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

KilnRun RunKiln(const std::string& arguments, const std::string& environment) {
  KilnRun run;
  const std::string prefix = environment.empty() ? "" : environment + " ";
  run.output = RunCommand(prefix + KILN_BINARY_DIR "/kiln " + arguments + " 2>&1", &run.exit_code);
  return run;
}

}  // namespace kiln::testing
