#include "kiln/train/predictor.h"

#include <chrono>

#include "kiln/core/column_builder.h"
#include "kiln/core/thread_pool.h"
#include "kiln/io/formats.h"
#include "kiln/train/dataset_rows.h"
#include "kiln/train/dlrm_step.h"
#include "kiln/train/saved_model.h"

namespace kiln::train {

namespace {

// The output rows of one piece of input.
Result<RecordBatchPtr> MakeOutputBatch(const SchemaPtr& schema, const std::vector<float>& predictions,
                                       const data::Batch& batch, bool with_label) {
  std::vector<std::shared_ptr<Column>> columns;
  ColumnBuilder prediction(DataType::Float32());
  prediction.Reserve(static_cast<int64_t>(predictions.size()));
  for (float value : predictions) prediction.Append(value);
  columns.push_back(prediction.Finish());
  if (with_label) {
    ColumnBuilder label(DataType::Float32());
    label.Reserve(batch.rows);
    for (int64_t row = 0; row < batch.rows; ++row) label.Append(batch.label[row]);
    columns.push_back(label.Finish());
  }
  return RecordBatch::Make(schema, std::move(columns));
}

}  // namespace

Result<PredictSummary> RunPrediction(const PredictOptions& options) {
  if (options.precision != "fp32" && options.precision != "bf16") {
    return Status::InvalidArgument("'precision': expected fp32 or bf16, not '" + options.precision + "'");
  }
  if (options.batch_rows < 1) return Status::InvalidArgument("'batch_rows': must be at least 1");
  auto model = LoadSavedModel(options.model);
  if (!model.ok()) return model.status();
  const SavedModelInfo& info = model->info;
  const auto started = std::chrono::steady_clock::now();  // Throughput counts reading, inference and writing.

  // The label is optional in new data: read it only when present.
  data::ColumnMapping mapping = info.mapping;
  auto probe = data::DataSource::Open({{options.input}, mapping, 0, {}});
  if (!probe.ok() && !mapping.label.empty()) {
    mapping.label.clear();
    probe = data::DataSource::Open({{options.input}, mapping, 0, {}});
  }
  if (!probe.ok()) return probe.status();
  const bool with_label = !mapping.label.empty();

  const bool bf16 = UseBf16(options.precision, "predicting");
  torch::set_num_threads(options.threads > 0 ? options.threads : DefaultThreadCount());

  std::vector<Field> fields = {{"prediction", DataType::Float32(), false}};
  if (with_label) fields.push_back({"label", DataType::Float32(), false});
  SchemaPtr schema = std::make_shared<const Schema>(fields);
  auto writer = OpenBatchWriter(options.output, FileFormat::kParquet, schema, WriteOptions());
  if (!writer.ok()) return writer.status();
  const std::vector<EmbeddingTable> tables = TableViews(model->module.get());
  PredictSummary summary;
  Status status = ForEachRows(**probe, 0, [&](data::Batch* batch) {
    MapIdsToRows(info.config, batch);
    std::vector<float> predictions;
    for (int64_t begin = 0; begin < batch->rows; begin += options.batch_rows) {
      std::vector<float> chunk =
          PredictRows(model->module.get(), tables, batch, begin, std::min(options.batch_rows, batch->rows - begin), bf16);
      predictions.insert(predictions.end(), chunk.begin(), chunk.end());
    }
    auto output = MakeOutputBatch(schema, predictions, *batch, with_label);
    if (!output.ok()) return output.status();
    summary.rows += batch->rows;
    return (*writer)->Write(**output);
  });
  if (status.ok()) status = (*writer)->Close();
  if (!status.ok()) return status;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  summary.samples_per_s = summary.seconds > 0 ? summary.rows / summary.seconds : 0;
  summary.precision = bf16 ? "bf16" : "fp32";
  return summary;
}

}  // namespace kiln::train
