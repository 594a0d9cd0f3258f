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

// Transforms one stage's input (this rank's share) into `sink`; *report is
// the input's read report.
Status RunTransformPass(const Pipeline& pipeline, const OpenPassInput& open, int64_t row_base, int pass,
                        const BatchSink& sink, ReadReport* report, const std::string& prefix) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  PassStats stats;
  Status status = RunParallelPass(
      reader->get(), DefaultSlotCount(),
      [&](const RecordBatchPtr& batch, int64_t first_row, int) { return pipeline.Transform(batch, row_base + first_row); },
      sink, &stats);
  if (!status.ok()) return status;
  *report = (*reader)->report();
  LogInfo(prefix + DescribePass("pass " + std::to_string(pass) + " (transform)", stats));
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

// Plans the saved pipeline's stages (binding its steps) and restores their state.
Result<StagePlan> PlanAndLoadState(Pipeline* pipeline, const SchemaPtr& schema, const FittedStateReader& state) {
  for (int i = 0; i < pipeline->num_steps(); ++i) {
    Status status = pipeline->step(i).LoadStateBeforeBind(StatePrefix(*pipeline, i), state);
    if (!status.ok()) return status.WithContext(StepName(*pipeline, i));
  }
  auto plan = PlanStages(*pipeline, schema);
  if (!plan.ok()) return plan.status();
  for (int i = 0; i < pipeline->num_steps(); ++i) {
    if (!pipeline->step(i).has_state()) continue;
    Status status = pipeline->step(i).LoadState(StatePrefix(*pipeline, i), state);
    if (!status.ok()) return status.WithContext(StepName(*pipeline, i));
  }
  return plan;
}

// Where the last stage's rows go: this rank's dataset writer, or with a
// Split one sub-dataset per split inside it (split_writer.h).
class StageOutput {
 public:
  StageOutput(std::unique_ptr<DatasetWriter> dataset, std::unique_ptr<SplitWriter> splits)
      : dataset_(std::move(dataset)), splits_(std::move(splits)) {}

  Status Write(const RecordBatch& batch) { return splits_ ? splits_->Write(batch) : dataset_->Write(batch); }
  int64_t rows_written() const { return splits_ ? splits_->rows_written() : dataset_->rows_written(); }
  DatasetWriter* dataset() { return dataset_.get(); }
  // Moves the splits into place in the dataset's temporary directory.
  Status CommitSplits() { return splits_ ? splits_->Commit() : Status::OK(); }

 private:
  std::unique_ptr<DatasetWriter> dataset_;  // The output directory (and _state).
  std::unique_ptr<SplitWriter> splits_;     // With a Split: one dataset per split inside it.
};

// Steps that reorder or split the stream need the whole stream in one
// process: under mpirun they fail up front, on every rank alike.
Status CheckDistributable(const StagePlan& plan, const dist::Communicator& world) {
  if (world.size() == 1 || (plan.stages.size() == 1 && plan.split_names.empty())) return Status::OK();
  return Status::NotSupported(
      "sort, shuffle, difference_lag, collapse_by_hist and split run in one process for now; run this pipeline "
      "without mpirun");
}

// Checks that `plan` can run on `world` and opens this rank's output for it
// (with splits, the parts live in the split directories, so the top one gets
// no empty part). Collective.
Result<StageOutput> OpenStageOutput(const StagePlan& plan, const OutputSpec& spec, dist::Communicator* world) {
  Status status = dist::AgreeOnStatus(world, CheckDistributable(plan, *world));
  if (!status.ok()) return status;
  DatasetWriteOptions options = spec.dataset;
  options.empty_part = plan.split_names.empty();
  auto dataset = OpenSharedDataset(spec.path, plan.output_schema, options, world);
  if (!dataset.ok()) return dataset.status();
  if (plan.split_names.empty()) return StageOutput(std::move(*dataset), nullptr);
  auto splits = SplitWriter::Open((*dataset)->temp_directory(), plan.split_names, plan.output_schema, spec.dataset);
  if (!splits.ok()) return splits.status();
  return StageOutput(std::move(*dataset), std::move(*splits));
}

// Runs every stage of `plan` (stage_plan.h): (when `fit`) its fit passes,
// then its transform pass into the next stage's sorter, or for the last
// stage into `output`; then numbers the parts across ranks and sums the
// summary's counts. The first read of the input spills the parsed batches
// for later passes; with row ids on several ranks, that read counts the rows
// before this rank's share. Scratch files go to the output's temporary
// directory. Collective (a plan of several stages runs on one rank only).
Status RunStages(StagePlan* plan, const InputSpec& input, bool fit, StageOutput* output, PrepSummary* summary,
                 dist::Communicator* world) {
  OpenPassInput open = [&input] { return OpenInput(input); };
  std::string spill_path = output->dataset()->temp_directory() + "/_parsed-" + std::to_string(world->rank()) + ".spill";
  std::vector<std::unique_ptr<ExternalSorter>> sorters;  // Sorter k feeds stage k + 1.
  ReadReport report;
  Status status;
  for (size_t s = 0; s < plan->stages.size() && status.ok(); ++s) {
    const Stage& stage = plan->stages[s];
    Pipeline& pipeline = plan->stages[s].steps;
    int fit_passes = fit ? pipeline.num_fit_passes() : 0;
    int64_t row_base = 0;
    bool spill = false;
    if (s == 0) {
      const bool count_first = pipeline.needs_row_ids() && world->size() > 1;
      spill = input.spill_parsed && (fit_passes > 0 || count_first);
      if (count_first) {
        auto counted = CountRowsBeforeShare(&open, spill, spill_path, pipeline.input_schema(), world);
        if (!counted.ok()) return counted.status();
        row_base = *counted;
        spill = false;  // The count spilled already.
        ++summary->passes;
      }
    } else {
      const ExternalSorter* sorted = sorters.back().get();
      open = [sorted, &stage] { return OpenStageInput(*sorted, stage); };
      LogInfo("stage " + std::to_string(s + 1) + ": " + stage.barrier->kind() + " of " +
              std::to_string(sorted->rows()) + " rows (" + std::to_string(sorted->runs_spilled()) + " sorted runs)");
    }
    for (int pass = 1; pass <= fit_passes; ++pass) {
      auto spill_writer = OpenSpill(spill && pass == 1, spill_path, pipeline.input_schema(), world);
      if (!spill_writer.ok()) return spill_writer.status();
      status = RunFitPass(&pipeline, pass, open, row_base, spill_writer->get(), &report, world);
      if (!status.ok()) return status;
      if (*spill_writer) open = SpilledInput(spill_path, pipeline.input_schema(), report);
    }
    summary->passes += fit_passes + 1;
    ExternalSorter* sorter = nullptr;
    if (s + 1 < plan->stages.size()) {
      sorters.push_back(std::make_unique<ExternalSorter>(plan->stages[s + 1].barrier.get(), pipeline.output_schema(),
                                                         output->dataset()->temp_directory() + "/_sort" +
                                                             std::to_string(s + 1)));
      sorter = sorters.back().get();
    }
    status = RunTransformPass(
        pipeline, open, row_base, summary->passes,
        [&](const RecordBatchPtr& result) { return sorter ? sorter->Add(result) : output->Write(*result); }, &report,
        RankPrefix(*world));
    if (status.ok() && sorter) status = sorter->Finish(report);
    if (s == 0) {
      std::error_code removed;
      std::filesystem::remove(spill_path, removed);
    }
  }
  summary->rows_in = report.rows_read;
  summary->rows_skipped = report.rows_skipped;
  summary->rows_out = output->rows_written();
  if (report.rows_skipped > 0) {
    LogWarn(RankPrefix(*world) + std::to_string(report.rows_skipped) + " malformed rows skipped" +
            (report.first_errors.empty() ? "" : "; first: " + report.first_errors.front()));
  }
  if (status.ok()) status = output->CommitSplits();
  if (status.ok()) status = output->dataset()->FinishParts();
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  status = NumberPartsAcrossRanks(output->dataset(), world);
  if (!status.ok()) return status;
  SumOverRanks(world, summary);
  return Status::OK();
}

// One attempt at the whole run, reading the input as job->input says. Collective.
Result<PrepSummary> RunPrepAttempt(PrepJob* job, const SchemaPtr& schema, bool hex_fallback,
                                   dist::Communicator* world) {
  MemoryBudget budget;
  Status status;
  if (job->memory_limit > 0) status = dist::AgreeOnStatus(world, PlanMemoryLimit(job, &budget));
  if (!status.ok()) return status;
  auto plan = PlanStages(job->pipeline, schema);
  status = dist::AgreeOnStatus(world, plan.status());
  if (!status.ok()) return status;
  auto output = OpenStageOutput(*plan, job->output, world);
  if (!output.ok()) return output.status();
  std::string spill_directory = output->dataset()->temp_directory() + "/_spill-" + std::to_string(world->rank());
  if (job->memory_limit > 0) {
    // The stages run the pipeline's own operators.
    budget.spill_directory = spill_directory;
    for (int i = 0; i < job->pipeline.num_steps(); ++i) job->pipeline.step(i).SetMemoryBudget(budget);
  }
  PrepSummary summary;
  status = RunStages(&*plan, job->input, true, &*output, &summary, world);
  std::error_code removed;
  std::filesystem::remove_all(spill_directory, removed);
  if (!status.ok()) return status;
  if (world->rank() == 0) {
    auto state_directory = output->dataset()->StateDirectory();
    status = state_directory.ok() ? SaveState(*job, hex_fallback, *state_directory) : state_directory.status();
  }
  status = PublishDataset(output->dataset(), status, world);
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
  auto plan = PlanAndLoadState(&job.pipeline, *prepared, saved->state);
  status = dist::AgreeOnStatus(world, plan.status());
  if (!status.ok()) return status;
  auto output = OpenStageOutput(*plan, job.output, world);
  if (!output.ok()) return output.status();
  PrepSummary summary;
  status = RunStages(&*plan, job.input, false, &*output, &summary, world);
  if (status.code() == Status::Code::kNotCanonical) {
    return Status::NotSupported(status.message() + "; the fitted state reads these columns as uint32, so this " +
                                "input cannot be encoded identically");
  }
  if (!status.ok()) return status;
  status = PublishDataset(output->dataset(), Status::OK(), world);
  if (!status.ok()) return status;
  summary.seconds = SecondsSince(start);
  return summary;
}

}  // namespace kiln::prep
