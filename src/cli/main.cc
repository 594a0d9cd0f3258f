// kiln: one command for the whole flow, from raw files to trained models.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "cli/app.h"

namespace {

// The first argument that is neither a global option nor its value: the
// command's name.
std::string CommandName(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--threads") {
      ++i;
    } else if (arg.empty() || arg[0] != '-') {
      return arg;
    }
  }
  return "";
}

// Runs the same command line in kiln-torch, the executable beside this one.
int RunInTorchExecutable(char** argv) {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  std::string torch = (error ? std::filesystem::path(argv[0]) : self).parent_path() / "kiln-torch";
  // libgomp reads this once, at load. Its default spins idle threads between
  // parallel regions, which on a shared machine steals the time slices the
  // other threads need (training ran 4x slower at load 15); passive waiting
  // costs little when the machine is quiet. The user's own setting wins.
  setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
  execv(torch.c_str(), argv);
  std::fprintf(stderr, "kiln: cannot run %s: %s\n", torch.c_str(), std::strerror(errno));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string command = CommandName(argc, argv);
  if (command == "train" || command == "predict") return RunInTorchExecutable(argv);
  return kiln::cli::RunKiln(argc, argv, [](CLI::App* app, kiln::cli::Action* action) {
    app->footer("Also: kiln train, kiln predict (DLRM on libtorch; see kiln train --help).");
    kiln::cli::AddVersionCommand(app, action);
    kiln::cli::AddGenCommand(app, action);
    kiln::cli::AddConvertCommand(app, action);
    kiln::cli::AddHeadCommand(app, action);
    kiln::cli::AddInspectCommand(app, action);
    kiln::cli::AddCatCommand(app, action);
    kiln::cli::AddPrepCommand(app, action);
    kiln::cli::AddLoaderBenchCommand(app, action);
    kiln::cli::AddTuneCommand(app, action);
  });
}
