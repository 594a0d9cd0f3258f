// kiln evaluate: held-out metrics of a model saved by `kiln train`, in a
// pass of its own over the saved weights.
//   kiln evaluate RUN_DIR/model --in PREP_DATASET [--eval-fraction 0.1] [--out METRICS.json]
#include <cstdio>

#include "cli/command.h"
#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/train/evaluator.h"

namespace kiln::cli {

namespace {

struct EvaluateFlags {
  train::EvaluateOptions options;
  std::string out;  // METRICS.json, optional.
};

Status RunEvaluate(const EvaluateFlags& flags) {
  auto summary = train::RunEvaluation(flags.options);
  if (!summary.ok()) return summary.status();
  char text[256];
  std::snprintf(text, sizeof(text), "rows %ld..%ld: AUC %.5f, log loss %.5f, accuracy %.4f (%.0f samples/s, %s)",
                static_cast<long>(summary->first_row),
                static_cast<long>(summary->first_row + summary->metrics.rows - 1), summary->metrics.auc,
                summary->metrics.logloss, summary->metrics.accuracy, summary->samples_per_s,
                summary->precision.c_str());
  LogInfo(text);
  if (flags.out.empty()) return Status::OK();
  return WriteFileAtomically(flags.out, train::EvaluationJson(*summary));
}

}  // namespace

void AddEvaluateCommand(CLI::App* app, Action* action) {
  CLI::App* command = app->add_subcommand("evaluate", "AUC, log loss and accuracy of a trained model on held-out rows");
  auto flags = std::make_shared<EvaluateFlags>();
  train::EvaluateOptions& options = flags->options;
  command->add_option("model", options.model, "Model directory (RUN_DIR/model of kiln train)")->required();
  command->add_option("--in", options.input, "Prepared dataset with labels (Parquet file or directory, or DLRM binary)")
      ->required();
  command->add_option("--eval-fraction", options.eval_fraction,
                      "Score the last share of the rows (kiln train's held-out rows for the same fraction)");
  command->add_option("--out", flags->out, "Write the metrics as JSON to this file");
  command->add_option("--precision", options.precision, "fp32 or bf16");
  command->add_option("--batch-rows", options.batch_rows, "Rows per forward pass")->check(CLI::PositiveNumber);
  command->callback([action, flags] { *action = [flags] { return RunEvaluate(*flags); }; });
}

}  // namespace kiln::cli
