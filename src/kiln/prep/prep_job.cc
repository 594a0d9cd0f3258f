#include "kiln/prep/prep_job.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/prep/batch_spill.h"
#include "kiln/prep/hex_text_check.h"
#include "kiln/prep/parallel_pass.h"
#include "kiln/prep/pipeline_yaml.h"
#include "kiln/prep/split_writer.h"
#include "kiln/prep/stage_plan.h"

namespace kiln::prep {

namespace {

constexpr char kHexFallbackKey[] = "input.hex32_as_strings";

// Reads the hex32 columns as strings instead: slower, exact for any text.
void ReadHexColumnsAsStrings(CsvOptions* csv, const Schema& schema) {
  std::vector<Field> fields = schema.fields();
  for (Field& field : fields) {
    bool listed = false;
    for (const std::string& name : csv->hex32_columns) listed |= name == field.name || name == "*";
    if (listed && field.type.id() == TypeId::kUInt32) field.type = DataType::String();
  }
  csv->schema = Schema(std::move(fields));
  csv->hex32_columns.clear();
}

bool IsText(FileFormat format) { return format == FileFormat::kCsv || format == FileFormat::kTsv; }

// The input's schema; checks hex32 text and, when `allow_fallback`, switches
// to strings on non-canonical text (else fails). Sets *fell_back.
Result<SchemaPtr> PrepareInput(InputSpec* input, bool allow_fallback, bool* fell_back) {
  *fell_back = false;
  auto reader = OpenInput(*input);
  if (!reader.ok()) return reader.status();
  SchemaPtr schema = (*reader)->schema();
  auto files = InputFiles(input->path);
  auto format = files.ok() ? InputFormat(*input, *files) : Result<FileFormat>(files.status());
  if (!format.ok()) return format.status();
  CsvOptions& csv = input->read.csv;
  if (!IsText(*format) || csv.hex32_columns.empty()) return schema;
  CsvOptions check = csv;
  check.schema = *schema;
  if (*format == FileFormat::kTsv) check.delimiter = '\t';
  std::string violation;
  auto start = std::chrono::steady_clock::now();
  double cpu_start = ProcessCpuSeconds();
  Status status = CheckHexText(*files, check, &violation);
  if (!status.ok()) return status;
  char timing[64];
  std::snprintf(timing, sizeof(timing), " (%.2f s, cpu %.2f s)",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                ProcessCpuSeconds() - cpu_start);
  LogInfo("hex32 text check: " + std::string(violation.empty() ? "canonical" : "not canonical") + timing);
  if (violation.empty()) return schema;
  if (!allow_fallback) {
    return Status::NotSupported(violation + ", not empty or 8 lower-case hex digits; the fitted state reads " +
                                "these columns as uint32, so this input cannot be encoded identically");
  }
  LogWarn(violation + ", not empty or 8 lower-case hex digits: reading the hex32 columns as strings (slower)");
  ReadHexColumnsAsStrings(&csv, *schema);
  *fell_back = true;
  reader = OpenInput(*input);
  if (!reader.ok()) return reader.status();
  return (*reader)->schema();
}

// Opens the stream a pass reads: the input, or the first pass's spill.
using OpenPassInput = std::function<Result<std::unique_ptr<BatchReader>>()>;

// One fit pass. With `spill`, also saves the parsed input batches there.
Status RunFitPass(Pipeline* pipeline, int pass, const OpenPassInput& open, BatchSpillWriter* spill,
                  ReadReport* report) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  int slots = DefaultSlotCount();
  std::vector<std::vector<std::unique_ptr<Accumulator>>> accumulators;
  for (int slot = 0; slot < slots; ++slot) accumulators.push_back(pipeline->NewAccumulators(pass));
  PassStats stats;
  Status status = RunParallelPass(
      reader->get(), slots,
      [&](const RecordBatchPtr& batch, int64_t first_row, int slot) -> Result<RecordBatchPtr> {
        Status accumulated = pipeline->Accumulate(batch, first_row, pass, accumulators[slot]);
        if (!accumulated.ok()) return accumulated;
        return spill ? batch : RecordBatchPtr();
      },
      [&](const RecordBatchPtr& batch) { return spill->Append(*batch); }, &stats);
  if (!status.ok()) return status;
  *report = (*reader)->report();
  auto& merged = accumulators[0];
  for (size_t step = 0; step < merged.size(); ++step) {
    if (merged[step] == nullptr) continue;
    for (int slot = 1; slot < slots; ++slot) {
      status = merged[step]->Merge(*accumulators[slot][step]);
      if (!status.ok()) return status;
      accumulators[slot][step].reset();
    }
  }
  status = pipeline->Fit(pass, merged);
  if (!status.ok()) return status;
  if (spill) status = spill->Finish();
  LogInfo(DescribePass("pass " + std::to_string(pass) + " (fit" + (spill ? ", spilling parsed batches)" : ")"),
                       stats));
  return status;
}

// Transforms one stage's input into `sink`; *report is the input's read report.
Status RunTransformPass(const Pipeline& pipeline, const OpenPassInput& open, int pass, const BatchSink& sink,
                        ReadReport* report) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  PassStats stats;
  Status status = RunParallelPass(
      reader->get(), DefaultSlotCount(),
      [&](const RecordBatchPtr& batch, int64_t first_row, int) { return pipeline.Transform(batch, first_row); },
      sink, &stats);
  if (!status.ok()) return status;
  *report = (*reader)->report();
  LogInfo(DescribePass("pass " + std::to_string(pass) + " (transform)", stats));
  return Status::OK();
}

// Where the last stage's rows go: the dataset, or one sub-dataset per split
// inside it (split_writer.h), published together by Commit().
class StageOutput {
 public:
  static Result<StageOutput> Open(const OutputSpec& spec, const StagePlan& plan) {
    StageOutput output;
    DatasetWriteOptions options = spec.dataset;
    options.empty_part = plan.split_names.empty();
    auto dataset = DatasetWriter::Open(spec.path, plan.output_schema, options);
    if (!dataset.ok()) return dataset.status();
    output.dataset_ = std::move(*dataset);
    if (plan.split_names.empty()) return output;
    auto splits = SplitWriter::Open(output.dataset_->temp_directory(), plan.split_names, plan.output_schema,
                                    spec.dataset);
    if (!splits.ok()) return splits.status();
    output.splits_ = std::move(*splits);
    return output;
  }

  Status Write(const RecordBatch& batch) { return splits_ ? splits_->Write(batch) : dataset_->Write(batch); }
  int64_t rows_written() const { return splits_ ? splits_->rows_written() : dataset_->rows_written(); }
  DatasetWriter* dataset() { return dataset_.get(); }
  Status Commit() {
    Status status = splits_ ? splits_->Commit() : Status::OK();
    return status.ok() ? dataset_->Commit() : status;
  }

 private:
  std::unique_ptr<DatasetWriter> dataset_;  // The output directory (and _state).
  std::unique_ptr<SplitWriter> splits_;     // With a Split: one dataset per split inside it.
};

// Runs every stage of `plan`: (when `fit`) its fit passes, then its
// transform pass into the next stage's sorter, or for the last stage into
// `output`. The first stage's first fit pass spills the parsed input for
// its later passes. Scratch files go to the output's temporary directory.
Status RunStages(StagePlan* plan, const InputSpec& input, bool fit, StageOutput* output,
                 PrepSummary* summary) {
  OpenPassInput open = [&input] { return OpenInput(input); };
  std::string scratch = output->dataset()->temp_directory();
  std::string spill_path = scratch + "/_parsed.spill";
  std::vector<std::unique_ptr<ExternalSorter>> sorters;  // Sorter k feeds stage k + 1.
  ReadReport report;
  for (size_t s = 0; s < plan->stages.size(); ++s) {
    const Stage& stage = plan->stages[s];
    Pipeline& pipeline = plan->stages[s].steps;
    if (s > 0) {
      const ExternalSorter* sorted = sorters.back().get();
      open = [sorted, &stage] { return OpenStageInput(*sorted, stage); };
      LogInfo("stage " + std::to_string(s + 1) + ": " + stage.barrier->kind() + " of " +
              std::to_string(sorted->rows()) + " rows (" + std::to_string(sorted->runs_spilled()) + " sorted runs)");
    }
    int fit_passes = fit ? pipeline.num_fit_passes() : 0;
    SchemaPtr input_schema = pipeline.input_schema();
    bool spill = s == 0 && input.spill_parsed && fit_passes > 0 && CanSpill(*input_schema);
    for (int pass = 1; pass <= fit_passes; ++pass) {
      std::unique_ptr<BatchSpillWriter> spill_writer;
      if (spill && pass == 1) {
        auto created = BatchSpillWriter::Create(spill_path, input_schema);
        if (!created.ok()) return created.status();
        spill_writer = std::move(*created);
      }
      Status status = RunFitPass(&pipeline, pass, open, spill_writer.get(), &report);
      if (!status.ok()) return status;
      if (spill_writer) {
        open = [spill_path, input_schema, report] { return OpenBatchSpill(spill_path, input_schema, report); };
      }
    }
    summary->passes += fit_passes + 1;
    bool last = s + 1 == plan->stages.size();
    if (!last) {
      sorters.push_back(std::make_unique<ExternalSorter>(plan->stages[s + 1].barrier.get(), pipeline.output_schema(),
                                                         scratch + "/_sort" + std::to_string(s + 1)));
    }
    ExternalSorter* sorter = last ? nullptr : sorters.back().get();
    Status status = RunTransformPass(
        pipeline, open, summary->passes,
        [&](const RecordBatchPtr& result) { return sorter ? sorter->Add(result) : output->Write(*result); }, &report);
    if (status.ok() && sorter) status = sorter->Finish(report);
    if (!status.ok()) return status;
    if (s == 0) {
      std::error_code removed;
      std::filesystem::remove(spill_path, removed);
    }
  }
  summary->rows_in = report.rows_read;
  summary->rows_skipped = report.rows_skipped;
  summary->rows_out = output->rows_written();
  if (report.rows_skipped > 0) {
    LogWarn(std::to_string(report.rows_skipped) + " malformed rows skipped" +
            (report.first_errors.empty() ? "" : "; first: " + report.first_errors.front()));
  }
  return Status::OK();
}

Status SaveState(const PrepJob& job, bool hex_fallback, const std::string& directory) {
  Status status = WriteFileAtomically(directory + "/pipeline.yaml", job.yaml);
  if (!status.ok()) return status;
  FittedStateWriter writer(directory);
  writer.SetNumber(kHexFallbackKey, hex_fallback ? 1 : 0);
  for (int i = 0; i < job.pipeline.num_steps(); ++i) {
    if (!job.pipeline.step(i).needs_fit()) continue;
    std::string prefix = "step" + std::to_string(i + 1) + "_" + job.pipeline.step(i).kind();
    status = job.pipeline.step(i).SaveState(prefix, &writer);
    if (!status.ok()) return status;
  }
  return writer.Finish();
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

Result<PrepSummary> RunPrepJob(PrepJob* job) {
  auto start = std::chrono::steady_clock::now();
  if (job->input.path.empty()) return Status::InvalidArgument("prep: no input path");
  if (job->output.path.empty()) return Status::InvalidArgument("prep: no output path");
  bool hex_fallback = false;
  auto schema = PrepareInput(&job->input, true, &hex_fallback);
  if (!schema.ok()) return schema.status();
  auto plan = PlanStages(job->pipeline, *schema);
  if (!plan.ok()) return plan.status();
  auto output = StageOutput::Open(job->output, *plan);
  if (!output.ok()) return output.status();
  PrepSummary summary;
  Status status = RunStages(&*plan, job->input, true, &*output, &summary);
  if (!status.ok()) return status;
  auto state_directory = output->dataset()->StateDirectory();
  if (!state_directory.ok()) return state_directory.status();
  status = SaveState(*job, hex_fallback, *state_directory);
  if (!status.ok()) return status;
  status = output->Commit();
  if (!status.ok()) return status;
  summary.seconds = SecondsSince(start);
  return summary;
}

Result<PrepSummary> ApplyPrepState(const std::string& state_directory, const std::string& input_path,
                                   const std::string& output_path, bool overwrite) {
  auto start = std::chrono::steady_clock::now();
  auto text = ReadFileToString(state_directory + "/pipeline.yaml");
  if (!text.ok()) return text.status();
  auto job = ParsePrepYaml(*text, state_directory + "/pipeline.yaml");
  if (!job.ok()) return job.status();
  auto state = FittedStateReader::Open(state_directory);
  if (!state.ok()) return state.status();
  auto fallback = state->Number(kHexFallbackKey);
  if (!fallback.ok()) return fallback.status();
  job->input.path = input_path;
  job->output.path = output_path;
  job->output.dataset.overwrite = overwrite;
  bool unused = false;
  if (*fallback != 0) {
    auto files_schema = OpenInput(job->input);
    if (!files_schema.ok()) return files_schema.status();
    ReadHexColumnsAsStrings(&job->input.read.csv, *(*files_schema)->schema());
  }
  auto prepared = PrepareInput(&job->input, false, &unused);
  if (!prepared.ok()) return prepared.status();
  auto plan = PlanStages(job->pipeline, *prepared);
  if (!plan.ok()) return plan.status();
  Pipeline& pipeline = job->pipeline;
  for (int i = 0; i < pipeline.num_steps(); ++i) {
    if (!pipeline.step(i).needs_fit()) continue;
    std::string prefix = "step" + std::to_string(i + 1) + "_" + pipeline.step(i).kind();
    Status status = pipeline.step(i).LoadState(prefix, *state);
    if (!status.ok()) return status.WithContext(StepName(pipeline, i));
  }
  auto output = StageOutput::Open(job->output, *plan);
  if (!output.ok()) return output.status();
  PrepSummary summary;
  Status status = RunStages(&*plan, job->input, false, &*output, &summary);
  if (!status.ok()) return status;
  status = output->Commit();
  if (!status.ok()) return status;
  summary.seconds = SecondsSince(start);
  return summary;
}

}  // namespace kiln::prep
