// kiln predict: batch inference with a model saved by `kiln train`.
//   kiln predict RUN_DIR/model --in PREP_DATASET --out PRED.parquet [--precision bf16]
#include <cstdio>

#include "cli/command.h"
#include "kiln/core/logging.h"
#include "kiln/train/predictor.h"

namespace kiln::cli {

void AddPredictCommand(CLI::App* app, Action* action) {
  CLI::App* command = app->add_subcommand("predict", "Predict with a trained model (one row per input row)");
  auto options = std::make_shared<train::PredictOptions>();
  command->add_option("model", options->model, "Model directory (RUN_DIR/model of kiln train)")->required();
  command->add_option("--in", options->input, "Prepared dataset (Parquet file or directory, or DLRM binary)")
      ->required();
  command->add_option("--out", options->output, "Output Parquet file (prediction, label when present)")->required();
  command->add_option("--precision", options->precision, "fp32 or bf16");
  command->add_option("--batch-rows", options->batch_rows, "Rows per forward pass")->check(CLI::PositiveNumber);
  command->callback([action, options] {
    *action = [options]() -> Status {
      auto summary = train::RunPrediction(*options);
      if (!summary.ok()) return summary.status();
      char text[256];
      std::snprintf(text, sizeof(text), "wrote %ld predictions to %s in %.2f s: %.0f samples/s (%s)",
                    static_cast<long>(summary->rows), options->output.c_str(), summary->seconds,
                    summary->samples_per_s, summary->precision.c_str());
      LogInfo(text);
      return Status::OK();
    };
  });
}

}  // namespace kiln::cli
