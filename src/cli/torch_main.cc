// kiln-torch: the kiln commands that need libtorch. `kiln train` and
// `kiln predict` run this executable with their command line (see app.h).
#include <malloc.h>

#include "cli/app.h"

int main(int argc, char** argv) {
  // libtorch allocates and frees activation-sized buffers (MBs) every step.
  // By default glibc maps the larger ones and returns freed memory to the
  // OS, so each step page-faults them back in (clearing pages was 6-15 % of
  // training and prediction profiles). Keep buffers up to 32 MB (glibc's
  // largest threshold) in the heap, and the freed heap for reuse.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return kiln::cli::RunKiln(argc, argv, [](CLI::App* app, kiln::cli::Action* action) {
    kiln::cli::AddTrainCommand(app, action);
    kiln::cli::AddPredictCommand(app, action);
  });
}
