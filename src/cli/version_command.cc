#include <cstdio>

#include "cli/command.h"
#include "kiln/core/cpu_info.h"

#ifndef KILN_VERSION
#define KILN_VERSION "unknown"
#endif

namespace kiln::cli {

void AddVersionCommand(CLI::App* app, Action* action) {
  CLI::App* command = app->add_subcommand("version", "Print the version, build and CPU features");
  command->callback([action] {
    *action = [] {
      CpuInfo cpu = DetectCpu();
      std::printf("kiln %s (%s build, C++%ld)\n", KILN_VERSION, KILN_BUILD_TYPE, __cplusplus / 100 % 100);
      std::printf("cpu: %s, %d threads\n", cpu.model.c_str(), cpu.logical_cores);
      std::printf("cpu features: %s\n", cpu.FeatureString().c_str());
      return Status::OK();
    };
  });
}

}  // namespace kiln::cli
