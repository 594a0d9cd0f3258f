#include "kiln/prep/prep_job.h"

#include <chrono>
#include <filesystem>
#include <functional>

#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/prep/batch_spill.h"
#include "kiln/prep/memory_budget.h"
#include "kiln/prep/parallel_pass.h"
#include "kiln/prep/pipeline_yaml.h"

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

// Reads the hex32 columns of a text input strictly (CsvOptions::strict_hex32),
// so that non-canonical text stops the run with NotCanonical instead of
// being merged with its canonical spelling.
Status RequireCanonicalHex(InputSpec* input) {
  auto files = InputFiles(input->path);
  if (!files.ok()) return files.status();
  auto format = InputFormat(*input, *files);
  if (!format.ok()) return format.status();
  input->read.csv.strict_hex32 = IsText(*format) && !input->read.csv.hex32_columns.empty();
  return Status::OK();
}

// Switches the input to reading its hex32 columns as strings.
Status FallBackToStrings(InputSpec* input) {
  auto reader = OpenInput(*input);
  if (!reader.ok()) return reader.status();
  ReadHexColumnsAsStrings(&input->read.csv, *(*reader)->schema());
  input->read.csv.strict_hex32 = false;
  return Status::OK();
}

// Fits the run into job->memory_limit: smaller batches and row groups,
// and *budget for every fitted step (memory_budget.h).
Status PlanMemoryLimit(PrepJob* job, MemoryBudget* budget) {
  auto files = InputFiles(job->input.path);
  if (!files.ok()) return files.status();
  auto row_bytes = SampleRowBytes(files->front());
  if (!row_bytes.ok()) return row_bytes.status();
  int slots = DefaultSlotCount();
  auto plan = PlanMemory(job->memory_limit, CurrentRssBytes(), *row_bytes, slots);
  if (!plan.ok()) return plan.status();
  job->input.read.csv.batch_rows = job->input.read.json.batch_rows = plan->batch_rows;
  job->output.dataset.parts.parquet.row_group_rows = plan->row_group_rows;
  Pipeline& pipeline = job->pipeline;
  int64_t fitted = 0;
  for (int i = 0; i < pipeline.num_steps(); ++i) fitted += pipeline.step(i).needs_fit() ? 1 : 0;
  // Halved: while a counter spills, its map and the run it writes coexist.
  budget->accumulator_bytes = plan->statistics_bytes / std::max<int64_t>(1, 2 * fitted * slots);
  budget->state_bytes = plan->statistics_bytes / std::max<int64_t>(1, fitted);
  LogInfo("memory limit " + std::to_string(job->memory_limit >> 20) + " MB: " + std::to_string(plan->batch_rows) +
          " rows per batch, " + std::to_string(plan->row_group_rows) + " per row group, " +
          std::to_string(plan->statistics_bytes >> 20) + " MB for statistics");
  return Status::OK();
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

// Transforms the input into the dataset writer's part files.
Status RunTransformPass(const Pipeline& pipeline, const OpenPassInput& open, int pass, DatasetWriter* writer,
                        PrepSummary* summary) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  PassStats stats;
  Status status = RunParallelPass(
      reader->get(), DefaultSlotCount(),
      [&](const RecordBatchPtr& batch, int64_t first_row, int) { return pipeline.Transform(batch, first_row); },
      [&](const RecordBatchPtr& result) { return writer->Write(*result); }, &stats);
  if (!status.ok()) return status;
  ReadReport report = (*reader)->report();
  summary->rows_in = report.rows_read;
  summary->rows_skipped = report.rows_skipped;
  summary->rows_out = writer->rows_written();
  LogInfo(DescribePass("pass " + std::to_string(pass) + " (transform)", stats));
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

// One attempt at the whole run, reading the input as job->input says.
Result<PrepSummary> RunPrepAttempt(PrepJob* job, bool hex_fallback) {
  auto input = OpenInput(job->input);
  if (!input.ok()) return input.status();
  SchemaPtr schema = (*input)->schema();
  input->reset();
  Pipeline& pipeline = job->pipeline;
  Status status = pipeline.Bind(schema);
  if (!status.ok()) return status;
  MemoryBudget budget;
  if (job->memory_limit > 0) status = PlanMemoryLimit(job, &budget);
  if (!status.ok()) return status;
  auto writer = DatasetWriter::Open(job->output.path, pipeline.output_schema(), job->output.dataset);
  if (!writer.ok()) return writer.status();
  std::string spill_directory = (*writer)->temp_directory() + "/_spill";
  if (job->memory_limit > 0) {
    budget.spill_directory = spill_directory;
    for (int i = 0; i < pipeline.num_steps(); ++i) pipeline.step(i).SetMemoryBudget(budget);
  }
  OpenPassInput open = [job] { return OpenInput(job->input); };
  std::string spill_path = (*writer)->temp_directory() + "/_parsed.spill";
  bool spill = job->input.spill_parsed && pipeline.num_fit_passes() > 0 && CanSpill(*schema);
  for (int pass = 1; pass <= pipeline.num_fit_passes(); ++pass) {
    std::unique_ptr<BatchSpillWriter> spill_writer;
    if (spill && pass == 1) {
      auto created = BatchSpillWriter::Create(spill_path, schema);
      if (!created.ok()) return created.status();
      spill_writer = std::move(*created);
    }
    ReadReport report;
    status = RunFitPass(&pipeline, pass, open, spill_writer.get(), &report);
    if (!status.ok()) return status;
    if (spill_writer) {
      open = [spill_path, schema, report] { return OpenBatchSpill(spill_path, schema, report); };
    }
  }
  PrepSummary summary;
  summary.passes = pipeline.num_fit_passes() + 1;
  status = RunTransformPass(pipeline, open, summary.passes, writer->get(), &summary);
  if (!status.ok()) return status;
  std::error_code removed;
  std::filesystem::remove(spill_path, removed);
  std::filesystem::remove_all(spill_directory, removed);
  auto state_directory = (*writer)->StateDirectory();
  if (!state_directory.ok()) return state_directory.status();
  status = SaveState(*job, hex_fallback, *state_directory);
  if (!status.ok()) return status;
  status = (*writer)->Commit();
  if (!status.ok()) return status;
  return summary;
}

}  // namespace

Result<PrepSummary> RunPrepJob(PrepJob* job) {
  auto start = std::chrono::steady_clock::now();
  if (job->input.path.empty()) return Status::InvalidArgument("prep: no input path");
  if (job->output.path.empty()) return Status::InvalidArgument("prep: no output path");
  Status status = RequireCanonicalHex(&job->input);
  if (!status.ok()) return status;
  auto summary = RunPrepAttempt(job, false);
  if (!summary.ok() && summary.status().code() == Status::Code::kNotCanonical) {
    // The first pass found it while parsing; only then pay for strings.
    LogWarn(summary.status().message() + ": reading the hex32 columns as strings (slower)");
    status = FallBackToStrings(&job->input);
    if (!status.ok()) return status;
    summary = RunPrepAttempt(job, true);
  }
  if (!summary.ok()) return summary.status();
  summary->seconds = SecondsSince(start);
  summary->peak_rss = PeakRssBytes();
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
  Status status = *fallback != 0 ? FallBackToStrings(&job->input) : RequireCanonicalHex(&job->input);
  if (!status.ok()) return status;
  auto input = OpenInput(job->input);
  if (!input.ok()) return input.status();
  Pipeline& pipeline = job->pipeline;
  status = pipeline.Bind((*input)->schema());
  if (!status.ok()) return status;
  for (int i = 0; i < pipeline.num_steps(); ++i) {
    if (!pipeline.step(i).needs_fit()) continue;
    std::string prefix = "step" + std::to_string(i + 1) + "_" + pipeline.step(i).kind();
    status = pipeline.step(i).LoadState(prefix, *state);
    if (!status.ok()) return status.WithContext(StepName(pipeline, i));
  }
  auto writer = DatasetWriter::Open(output_path, pipeline.output_schema(), job->output.dataset);
  if (!writer.ok()) return writer.status();
  PrepSummary summary;
  summary.passes = 1;
  status = RunTransformPass(pipeline, [&job] { return OpenInput(job->input); }, 1, writer->get(), &summary);
  if (status.code() == Status::Code::kNotCanonical) {
    return Status::NotSupported(status.message() + "; the fitted state reads these columns as uint32, so this " +
                                "input cannot be encoded identically");
  }
  if (!status.ok()) return status;
  status = (*writer)->Commit();
  if (!status.ok()) return status;
  summary.seconds = SecondsSince(start);
  return summary;
}

}  // namespace kiln::prep
