// kiln predict: batch inference with a model saved by `kiln train`.
//   kiln predict RUN_DIR/model --in PREP_DATASET --out PRED.parquet [--precision bf16] [--metrics M.json]
#include <cstdio>

#include "cli/command.h"
#include "kiln/core/file.h"
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
  auto metrics = std::make_shared<std::string>();
  command->add_option("--metrics", *metrics, "Also write rows, seconds and samples/s as JSON to this file");
  command->callback([action, options, metrics] {
    *action = [options, metrics]() -> Status {
      auto summary = train::RunPrediction(*options);
      if (!summary.ok()) return summary.status();
      char text[256];
      std::snprintf(text, sizeof(text), "wrote %ld predictions to %s in %.2f s: %.0f samples/s (%s)",
                    static_cast<long>(summary->rows), options->output.c_str(), summary->seconds,
                    summary->samples_per_s, summary->precision.c_str());
      LogInfo(text);
      if (metrics->empty()) return Status::OK();
      std::snprintf(text, sizeof(text),
                    "{\"rows\": %ld, \"seconds\": %.6g, \"samples_per_s\": %.6g, \"precision\": \"%s\"}\n",
                    static_cast<long>(summary->rows), summary->seconds, summary->samples_per_s,
                    summary->precision.c_str());
      return WriteFileAtomically(*metrics, text);
    };
  });
}

}  // namespace kiln::cli
