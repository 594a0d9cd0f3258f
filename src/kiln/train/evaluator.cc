#include "kiln/train/evaluator.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "kiln/core/thread_pool.h"
#include "kiln/io/json_format.h"
#include "kiln/train/dataset_rows.h"
#include "kiln/train/dlrm_step.h"
#include "kiln/train/saved_model.h"

namespace kiln::train {

namespace {

Status CheckOptions(const EvaluateOptions& options) {
  if (options.precision != "fp32" && options.precision != "bf16") {
    return Status::InvalidArgument("'precision': expected fp32 or bf16, not '" + options.precision + "'");
  }
  if (!(options.eval_fraction > 0 && options.eval_fraction <= 1)) {
    return Status::InvalidArgument("'eval_fraction': must be in (0, 1], not " + std::to_string(options.eval_fraction));
  }
  if (options.batch_rows < 1) return Status::InvalidArgument("'batch_rows': must be at least 1");
  return Status::OK();
}

}  // namespace

Result<EvaluateSummary> RunEvaluation(const EvaluateOptions& options) {
  Status status = CheckOptions(options);
  if (!status.ok()) return status;
  auto model = LoadSavedModel(options.model);
  if (!model.ok()) return model.status();
  const SavedModelInfo& info = model->info;
  if (info.mapping.label.empty()) return Status::InvalidArgument(options.model + ": the model reads no label column");
  const auto started = std::chrono::steady_clock::now();
  auto source = data::DataSource::Open({{options.input}, info.mapping, 0, {}});
  if (!source.ok()) return source.status();
  EvaluateSummary summary;
  summary.first_row = HeldOutFirstRow((*source)->num_rows(), options.eval_fraction);
  if (summary.first_row >= (*source)->num_rows()) {
    return Status::InvalidArgument(options.input + ": eval_fraction " + JsonMetric(options.eval_fraction) + " of " +
                                   std::to_string((*source)->num_rows()) + " rows leaves no row to evaluate");
  }
  const bool bf16 = UseBf16(options.precision, "evaluating");
  torch::set_num_threads(options.threads > 0 ? options.threads : DefaultThreadCount());
  const std::vector<EmbeddingTable> tables = TableViews(model->module.get());
  std::vector<float> probabilities;
  std::vector<uint8_t> labels;
  status = ForEachRows(**source, summary.first_row, [&](data::Batch* batch) {
    MapIdsToRows(info.config, batch);
    for (int64_t begin = 0; begin < batch->rows; begin += options.batch_rows) {
      std::vector<float> chunk =
          PredictRows(model->module.get(), tables, batch, begin, std::min(options.batch_rows, batch->rows - begin), bf16);
      probabilities.insert(probabilities.end(), chunk.begin(), chunk.end());
    }
    for (int64_t row = 0; row < batch->rows; ++row) labels.push_back(batch->label[row] != 0);
    return Status::OK();
  });
  if (!status.ok()) return status;
  for (size_t row = 0; row < probabilities.size(); ++row) {
    if (std::isnan(probabilities[row])) {
      return Status::Internal(options.input + ": row " + std::to_string(summary.first_row + row) +
                              ": the model predicts NaN");
    }
  }
  summary.metrics = ComputeEvalMetrics(probabilities, labels);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  summary.samples_per_s = summary.seconds > 0 ? summary.metrics.rows / summary.seconds : 0;
  summary.precision = bf16 ? "bf16" : "fp32";
  return summary;
}

std::string EvaluationJson(const EvaluateSummary& summary) {
  return "{\"auc\": " + JsonMetric(summary.metrics.auc) + ", \"logloss\": " + JsonMetric(summary.metrics.logloss) +
         ", \"accuracy\": " + JsonMetric(summary.metrics.accuracy) + ", \"rows\": " + std::to_string(summary.metrics.rows) +
         ", \"first_row\": " + std::to_string(summary.first_row) + ", \"seconds\": " + JsonMetric(summary.seconds) +
         ", \"samples_per_s\": " + JsonMetric(summary.samples_per_s) + ", \"precision\": \"" + summary.precision + "\"}\n";
}

}  // namespace kiln::train
