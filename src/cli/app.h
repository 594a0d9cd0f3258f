// RunKiln: what every kiln executable does around its commands: the global
// flags (--threads, --quiet, --verbose), parsing, MPI start-up under mpirun,
// running the chosen command, and the exit code (0 ok, 1 failure, 2 usage).
//
// There are two executables: `kiln`, and `kiln-torch` beside it with the
// commands that need libtorch (train, predict). `kiln train ...` hands its
// whole command line to `kiln-torch`, so that every other command starts
// without loading libtorch (~0.6 s and its memory).
#pragma once

#include <functional>

#include "cli/command.h"

namespace kiln::cli {

using AddCommands = std::function<void(CLI::App* app, Action* action)>;

int RunKiln(int argc, char** argv, const AddCommands& add_commands);

}  // namespace kiln::cli
