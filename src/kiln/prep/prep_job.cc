#include "kiln/prep/prep_job.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/dist/agreement.h"
#include "kiln/prep/distributed_fit.h"
#include "kiln/prep/distributed_output.h"
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

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "rank 1/2: " in a distributed run, for log lines; empty otherwise.
std::string RankPrefix(const dist::Communicator& world) {
  if (world.size() == 1) return "";
  return "rank " + std::to_string(world.rank()) + "/" + std::to_string(world.size()) + ": ";
}

// The input's schema, agreed on by every rank. Hex32 columns of text
// input are read strictly (CsvOptions::strict_hex32): non-canonical text
// fails the pass that meets it with NotCanonical. Collective.
Result<SchemaPtr> PrepareInput(InputSpec* input, dist::Communicator* world) {
  auto reader = OpenInput(*input);
  auto files = InputFiles(input->path);
  auto format = files.ok() ? InputFormat(*input, *files) : Result<FileFormat>(files.status());
  Status status = dist::AgreeOnStatus(world, reader.ok() ? format.status() : reader.status());
  if (!status.ok()) return status;
  if (world->size() > 1 && world->rank() == 0 && !CanCutInsideFiles(*format, input->read)) {
    LogWarn(input->path + ": split between the ranks by whole files only (quoted CSV or Parquet); " +
            "with quoted: false a text file is cut between rows");
  }
  CsvOptions& csv = input->read.csv;
  csv.strict_hex32 = IsText(*format) && !csv.hex32_columns.empty();
  return (*reader)->schema();
}

// Switches the input to reading its hex32 columns as strings. Collective.
Result<SchemaPtr> FallBackToStrings(InputSpec* input, dist::Communicator* world) {
  auto reader = OpenInput(*input);
  Status status = dist::AgreeOnStatus(world, reader.status());
  if (!status.ok()) return status;
  ReadHexColumnsAsStrings(&input->read.csv, *(*reader)->schema());
  input->read.csv.strict_hex32 = false;
  return PrepareInput(input, world);
}

// Fits the run into job->memory_limit: smaller batches and row groups, and
// *budget for every fitted step (memory_budget.h).
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

// This rank's part of one fit pass: its share's statistics, merged over the
// workers, in *merged. With `spill`, also saves the parsed input batches there.
// `row_base` is the row id of the share's first row.
Status AccumulatePass(const Pipeline& pipeline, int pass, const OpenPassInput& open, int64_t row_base,
                      BatchSpillWriter* spill, ReadReport* report, std::vector<std::unique_ptr<Accumulator>>* merged,
                      PassStats* stats) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  int slots = DefaultSlotCount();
  std::vector<std::vector<std::unique_ptr<Accumulator>>> accumulators;
  for (int slot = 0; slot < slots; ++slot) accumulators.push_back(pipeline.NewAccumulators(pass));
  Status status = RunParallelPass(
      reader->get(), slots,
      [&](const RecordBatchPtr& batch, int64_t first_row, int slot) -> Result<RecordBatchPtr> {
        Status accumulated = pipeline.Accumulate(batch, row_base + first_row, pass, accumulators[slot]);
        if (!accumulated.ok()) return accumulated;
        return spill ? batch : RecordBatchPtr();
      },
      [&](const RecordBatchPtr& batch) { return spill->Append(*batch); }, stats);
  if (!status.ok()) return status;
  *report = (*reader)->report();
  *merged = std::move(accumulators[0]);
  for (size_t step = 0; step < merged->size(); ++step) {
    if ((*merged)[step] == nullptr) continue;
    for (int slot = 1; slot < slots; ++slot) {
      status = (*merged)[step]->Merge(*accumulators[slot][step]);
      if (!status.ok()) return status;
      accumulators[slot][step].reset();
    }
  }
  return spill ? spill->Finish() : Status::OK();
}

// One fit pass: every rank accumulates its share, the statistics are merged
// across ranks, and every rank fits the same state. Collective.
Status RunFitPass(Pipeline* pipeline, int pass, const OpenPassInput& open, int64_t row_base, BatchSpillWriter* spill,
                  ReadReport* report, dist::Communicator* world) {
  std::vector<std::unique_ptr<Accumulator>> merged;
  PassStats stats;
  Status status =
      dist::AgreeOnStatus(world, AccumulatePass(*pipeline, pass, open, row_base, spill, report, &merged, &stats));
  if (!status.ok()) return status;
  LogInfo(RankPrefix(*world) +
          DescribePass("pass " + std::to_string(pass) + " (fit" + (spill ? ", spilling parsed batches)" : ")"), stats));
  auto merge_start = std::chrono::steady_clock::now();
  status = MergeAcrossRanks(world, *pipeline, &merged);
  if (!status.ok()) return status;
  if (world->size() > 1) {
    char text[96];
    std::snprintf(text, sizeof(text), "pass %d statistics merged across %d ranks in %.2f s", pass, world->size(),
                  SecondsSince(merge_start));
    LogInfo(RankPrefix(*world) + text);
  }
  return dist::AgreeOnStatus(world, pipeline->Fit(pass, merged));
}

// Transforms the input into the dataset writer's part files.
Status RunTransformPass(const Pipeline& pipeline, const OpenPassInput& open, int64_t row_base, int pass,
                        DatasetWriter* writer, PrepSummary* summary, const std::string& prefix) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  PassStats stats;
  Status status = RunParallelPass(
      reader->get(), DefaultSlotCount(),
      [&](const RecordBatchPtr& batch, int64_t first_row, int) { return pipeline.Transform(batch, row_base + first_row); },
      [&](const RecordBatchPtr& result) { return writer->Write(*result); }, &stats);
  if (!status.ok()) return status;
  ReadReport report = (*reader)->report();
  summary->rows_in = report.rows_read;
  summary->rows_skipped = report.rows_skipped;
  summary->rows_out = writer->rows_written();
  LogInfo(prefix + DescribePass("pass " + std::to_string(pass) + " (transform)", stats));
  if (report.rows_skipped > 0) {
    LogWarn(std::to_string(report.rows_skipped) + " malformed rows skipped" +
            (report.first_errors.empty() ? "" : "; first: " + report.first_errors.front()));
  }
  return Status::OK();
}

// The writer that spills the parsed batches of the first read of the input
// (agreed across ranks), or null without `spill`.
Result<std::unique_ptr<BatchSpillWriter>> OpenSpill(bool spill, const std::string& path, const SchemaPtr& schema,
                                                    dist::Communicator* world) {
  if (!spill) return std::unique_ptr<BatchSpillWriter>();
  auto created = BatchSpillWriter::Create(path, schema);
  Status status = dist::AgreeOnStatus(world, created.status());
  if (!status.ok()) return status;
  return std::move(*created);
}

// After the read that spilled: later passes read the spill.
OpenPassInput SpilledInput(const std::string& path, const SchemaPtr& schema, const ReadReport& report) {
  return [path, schema, report] { return OpenBatchSpill(path, schema, report); };
}

// Row ids are global, so a rank's first row id is the number of rows in the
// shares before it. Reads this rank's share once to count them (spilling the
// parsed batches with `spill`, and then pointing *open at the spill, so no
// pass parses the text twice) and returns the rank's first row id. Collective.
Result<int64_t> CountRowsBeforeShare(OpenPassInput* open, bool spill, const std::string& spill_path,
                                     const SchemaPtr& schema, dist::Communicator* world) {
  auto spill_writer = OpenSpill(spill, spill_path, schema, world);
  if (!spill_writer.ok()) return spill_writer.status();
  BatchSpillWriter* writer = spill_writer->get();
  PassStats stats;
  ReadReport report;
  auto reader = (*open)();
  Status status = reader.status();
  if (status.ok()) {
    status = RunParallelPass(
        reader->get(), DefaultSlotCount(),
        [writer](const RecordBatchPtr& batch, int64_t, int) { return writer ? batch : RecordBatchPtr(); },
        [writer](const RecordBatchPtr& batch) { return writer->Append(*batch); }, &stats);
  }
  if (status.ok() && writer) status = writer->Finish();
  if (status.ok()) report = (*reader)->report();
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  LogInfo(RankPrefix(*world) + DescribePass(std::string("pass 0 (row count") + (writer ? ", spilling parsed batches)" : ")"), stats));
  if (writer) *open = SpilledInput(spill_path, schema, report);
  std::vector<int64_t> rows(world->size(), 0);
  rows[world->rank()] = stats.rows;
  world->AllReduceSum(rows);
  int64_t before = 0;
  for (int r = 0; r < world->rank(); ++r) before += rows[r];
  return before;
}

// Names step i's entries in the saved state ("step4_categorify").
std::string StatePrefix(const Pipeline& pipeline, int step) {
  return "step" + std::to_string(step + 1) + "_" + pipeline.step(step).kind();
}

Status SaveState(const PrepJob& job, bool hex_fallback, const std::string& directory) {
  Status status = WriteFileAtomically(directory + "/pipeline.yaml", job.yaml);
  if (!status.ok()) return status;
  FittedStateWriter writer(directory);
  writer.SetNumber(kHexFallbackKey, hex_fallback ? 1 : 0);
  for (int i = 0; i < job.pipeline.num_steps(); ++i) {
    if (!job.pipeline.step(i).has_state()) continue;
    status = job.pipeline.step(i).SaveState(StatePrefix(job.pipeline, i), &writer);
    if (!status.ok()) return status;
  }
  return writer.Finish();
}

// Turns the summary's row counts into sums over the ranks.
void SumOverRanks(dist::Communicator* world, PrepSummary* summary) {
  std::vector<int64_t> counts = {summary->rows_in, summary->rows_skipped, summary->rows_out};
  world->AllReduceSum(counts);
  summary->rows_in = counts[0];
  summary->rows_skipped = counts[1];
  summary->rows_out = counts[2];
}

// A job rebuilt from a saved state, reading `input_path` into `output_path`.
struct SavedJob {
  PrepJob job;
  FittedStateReader state;
};

Result<SavedJob> LoadSavedJob(const std::string& state_directory, const std::string& input_path,
                              const std::string& output_path, bool overwrite) {
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
  if (*fallback != 0) {
    auto files_schema = OpenInput(job->input);
    if (!files_schema.ok()) return files_schema.status();
    ReadHexColumnsAsStrings(&job->input.read.csv, *(*files_schema)->schema());
  }
  return SavedJob{std::move(*job), std::move(*state)};
}

Status BindAndLoadState(Pipeline* pipeline, const SchemaPtr& schema, const FittedStateReader& state) {
  for (int i = 0; i < pipeline->num_steps(); ++i) {
    Status status = pipeline->step(i).LoadStateBeforeBind(StatePrefix(*pipeline, i), state);
    if (!status.ok()) return status.WithContext(StepName(*pipeline, i));
  }
  Status status = pipeline->Bind(schema);
  if (!status.ok()) return status;
  for (int i = 0; i < pipeline->num_steps(); ++i) {
    if (!pipeline->step(i).has_state()) continue;
    status = pipeline->step(i).LoadState(StatePrefix(*pipeline, i), state);
    if (!status.ok()) return status.WithContext(StepName(*pipeline, i));
  }
  return Status::OK();
}

// The transform pass of every rank over its share, then the parts numbered
// across ranks and the summary's counts summed. Collective.
Status TransformShares(const Pipeline& pipeline, const OpenPassInput& open, int64_t row_base, int pass,
                       DatasetWriter* writer, PrepSummary* summary, dist::Communicator* world) {
  Status status = RunTransformPass(pipeline, open, row_base, pass, writer, summary, RankPrefix(*world));
  if (status.ok()) status = writer->FinishParts();
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  status = NumberPartsAcrossRanks(writer, world);
  if (!status.ok()) return status;
  SumOverRanks(world, summary);
  return Status::OK();
}

// One attempt at the whole run, reading the input as job->input says. Collective.
Result<PrepSummary> RunPrepAttempt(PrepJob* job, const SchemaPtr& schema, bool hex_fallback,
                                   dist::Communicator* world) {
  Pipeline& pipeline = job->pipeline;
  Status status = dist::AgreeOnStatus(world, pipeline.Bind(schema));
  if (!status.ok()) return status;
  MemoryBudget budget;
  if (job->memory_limit > 0) status = dist::AgreeOnStatus(world, PlanMemoryLimit(job, &budget));
  if (!status.ok()) return status;
  auto writer = OpenSharedDataset(job->output.path, pipeline.output_schema(), job->output.dataset, world);
  if (!writer.ok()) return writer.status();
  std::string spill_directory = (*writer)->temp_directory() + "/_spill-" + std::to_string(world->rank());
  if (job->memory_limit > 0) {
    budget.spill_directory = spill_directory;
    for (int i = 0; i < pipeline.num_steps(); ++i) pipeline.step(i).SetMemoryBudget(budget);
  }
  OpenPassInput open = [job] { return OpenInput(job->input); };
  std::string spill_path = (*writer)->temp_directory() + "/_parsed-" + std::to_string(world->rank()) + ".spill";
  const bool count_first = pipeline.needs_row_ids() && world->size() > 1;
  bool spill = job->input.spill_parsed && (pipeline.num_fit_passes() > 0 || count_first) && CanSpill(*schema);
  PrepSummary summary;
  summary.passes = pipeline.num_fit_passes() + 1;
  int64_t row_base = 0;
  if (count_first) {
    auto counted = CountRowsBeforeShare(&open, spill, spill_path, schema, world);
    if (!counted.ok()) return counted.status();
    row_base = *counted;
    spill = false;  // The count spilled already.
    ++summary.passes;
  }
  for (int pass = 1; pass <= pipeline.num_fit_passes(); ++pass) {
    auto spill_writer = OpenSpill(spill && pass == 1, spill_path, schema, world);
    if (!spill_writer.ok()) return spill_writer.status();
    ReadReport report;
    status = RunFitPass(&pipeline, pass, open, row_base, spill_writer->get(), &report, world);
    if (!status.ok()) return status;
    if (*spill_writer) open = SpilledInput(spill_path, schema, report);
  }
  status = TransformShares(pipeline, open, row_base, pipeline.num_fit_passes() + 1, writer->get(), &summary, world);
  std::error_code removed;
  std::filesystem::remove(spill_path, removed);
  std::filesystem::remove_all(spill_directory, removed);
  if (!status.ok()) return status;
  if (world->rank() == 0) {
    auto state_directory = (*writer)->StateDirectory();
    status = state_directory.ok() ? SaveState(*job, hex_fallback, *state_directory) : state_directory.status();
  }
  status = PublishDataset(writer->get(), status, world);
  if (!status.ok()) return status;
  return summary;
}

}  // namespace

Result<PrepSummary> RunPrepJob(PrepJob* job, dist::Communicator* world) {
  auto start = std::chrono::steady_clock::now();
  dist::LocalCommunicator local;
  if (world == nullptr) world = &local;
  if (job->input.path.empty()) return Status::InvalidArgument("prep: no input path");
  if (job->output.path.empty()) return Status::InvalidArgument("prep: no output path");
  job->input.rank = world->rank();
  job->input.ranks = world->size();
  auto schema = PrepareInput(&job->input, world);
  if (!schema.ok()) return schema.status();
  auto summary = RunPrepAttempt(job, *schema, false, world);
  if (!summary.ok() && summary.status().code() == Status::Code::kNotCanonical) {
    // Pass 1 met it while parsing (every rank got the same status); only
    // then pay for strings.
    LogWarn(summary.status().message() + ": reading the hex32 columns as strings (slower)");
    schema = FallBackToStrings(&job->input, world);
    if (!schema.ok()) return schema.status();
    summary = RunPrepAttempt(job, *schema, true, world);
  }
  if (!summary.ok()) return summary.status();
  summary->seconds = SecondsSince(start);
  summary->peak_rss = PeakRssBytes();
  return summary;
}

Result<PrepSummary> ApplyPrepState(const std::string& state_directory, const std::string& input_path,
                                   const std::string& output_path, bool overwrite, dist::Communicator* world) {
  auto start = std::chrono::steady_clock::now();
  dist::LocalCommunicator local;
  if (world == nullptr) world = &local;
  auto saved = LoadSavedJob(state_directory, input_path, output_path, overwrite);
  Status status = dist::AgreeOnStatus(world, saved.status());
  if (!status.ok()) return status;
  PrepJob& job = saved->job;
  job.input.rank = world->rank();
  job.input.ranks = world->size();
  auto prepared = PrepareInput(&job.input, world);
  if (!prepared.ok()) return prepared.status();
  status = dist::AgreeOnStatus(world, BindAndLoadState(&job.pipeline, *prepared, saved->state));
  if (!status.ok()) return status;
  auto writer = OpenSharedDataset(job.output.path, job.pipeline.output_schema(), job.output.dataset, world);
  if (!writer.ok()) return writer.status();
  PrepSummary summary;
  summary.passes = 1;
  OpenPassInput open = [&job] { return OpenInput(job.input); };
  int64_t row_base = 0;
  if (job.pipeline.needs_row_ids() && world->size() > 1) {
    auto counted = CountRowsBeforeShare(&open, false, "", *prepared, world);
    if (!counted.ok()) return counted.status();
    row_base = *counted;
    ++summary.passes;
  }
  status = TransformShares(job.pipeline, open, row_base, 1, writer->get(), &summary, world);
  if (status.code() == Status::Code::kNotCanonical) {
    return Status::NotSupported(status.message() + "; the fitted state reads these columns as uint32, so this " +
                                "input cannot be encoded identically");
  }
  if (!status.ok()) return status;
  status = PublishDataset(writer->get(), Status::OK(), world);
  if (!status.ok()) return status;
  summary.seconds = SecondsSince(start);
  return summary;
}

}  // namespace kiln::prep
