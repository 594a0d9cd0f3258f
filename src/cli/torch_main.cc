// kiln-torch: the kiln commands that need libtorch. `kiln train`,
// `kiln evaluate` and `kiln predict` run this executable with their command line (see app.h).
#include "cli/app.h"

int main(int argc, char** argv) {
  return kiln::cli::RunKiln(argc, argv, [](CLI::App* app, kiln::cli::Action* action) {
    kiln::cli::AddTrainCommand(app, action);
    kiln::cli::AddPredictCommand(app, action);
    kiln::cli::AddEvaluateCommand(app, action);
  });
}
