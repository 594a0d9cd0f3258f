#include "kiln/prep/prep_job.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/dist/agreement.h"
#include "kiln/prep/distributed_fit.h"
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

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "rank 1/2: " in a distributed run, for log lines; empty otherwise.
std::string RankPrefix(const dist::Communicator& world) {
  if (world.size() == 1) return "";
  return "rank " + std::to_string(world.rank()) + "/" + std::to_string(world.size()) + ": ";
}

// The first hex32 violation of any rank's share ("" when none), the same on
// every rank, so that all ranks fall back to strings together.
Result<std::string> CheckHexTextOfShare(const InputSpec& input, const CsvOptions& check, dist::Communicator* world) {
  std::string violation;
  auto pieces = InputPieces(input);
  Status status = pieces.status();
  for (size_t i = 0; status.ok() && i < pieces->size() && violation.empty(); ++i) {
    CsvOptions piece_check = check;
    piece_check.range = (*pieces)[i].range;
    status = CheckHexText({(*pieces)[i].path}, piece_check, &violation);
  }
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  for (std::string& found : world->AllGather(violation)) {
    if (!found.empty()) return found;
  }
  return std::string();
}

// The input's schema; checks hex32 text and, when `allow_fallback`, switches
// to strings on non-canonical text (else fails). Sets *fell_back. Collective.
Result<SchemaPtr> PrepareInput(InputSpec* input, bool allow_fallback, bool* fell_back, dist::Communicator* world) {
  *fell_back = false;
  auto reader = OpenInput(*input);
  auto files = InputFiles(input->path);
  auto format = files.ok() ? InputFormat(*input, *files) : Result<FileFormat>(files.status());
  Status status = dist::AgreeOnStatus(world, reader.ok() ? format.status() : reader.status());
  if (!status.ok()) return status;
  SchemaPtr schema = (*reader)->schema();
  CsvOptions& csv = input->read.csv;
  if (!IsText(*format) || csv.hex32_columns.empty()) return schema;
  CsvOptions check = csv;
  check.schema = *schema;
  if (*format == FileFormat::kTsv) check.delimiter = '\t';
  auto start = std::chrono::steady_clock::now();
  double cpu_start = ProcessCpuSeconds();
  auto violation = CheckHexTextOfShare(*input, check, world);
  if (!violation.ok()) return violation.status();
  char timing[64];
  std::snprintf(timing, sizeof(timing), " (%.2f s, cpu %.2f s)",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                ProcessCpuSeconds() - cpu_start);
  LogInfo(RankPrefix(*world) + "hex32 text check: " + std::string(violation->empty() ? "canonical" : "not canonical") +
          timing);
  if (violation->empty()) return schema;
  if (!allow_fallback) {
    return Status::NotSupported(*violation + ", not empty or 8 lower-case hex digits; the fitted state reads " +
                                "these columns as uint32, so this input cannot be encoded identically");
  }
  LogWarn(*violation + ", not empty or 8 lower-case hex digits: reading the hex32 columns as strings (slower)");
  ReadHexColumnsAsStrings(&csv, *schema);
  *fell_back = true;
  reader = OpenInput(*input);
  status = dist::AgreeOnStatus(world, reader.status());
  if (!status.ok()) return status;
  return (*reader)->schema();
}

// Opens the stream a pass reads: the input, or the first pass's spill.
using OpenPassInput = std::function<Result<std::unique_ptr<BatchReader>>()>;

// This rank's part of one fit pass: its share's statistics, merged over the
// workers, in *merged. With `spill`, also saves the parsed input batches there.
Status AccumulatePass(const Pipeline& pipeline, int pass, const OpenPassInput& open, BatchSpillWriter* spill,
                      ReadReport* report, std::vector<std::unique_ptr<Accumulator>>* merged, PassStats* stats) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  int slots = DefaultSlotCount();
  std::vector<std::vector<std::unique_ptr<Accumulator>>> accumulators;
  for (int slot = 0; slot < slots; ++slot) accumulators.push_back(pipeline.NewAccumulators(pass));
  Status status = RunParallelPass(
      reader->get(), slots,
      [&](const RecordBatchPtr& batch, int64_t first_row, int slot) -> Result<RecordBatchPtr> {
        Status accumulated = pipeline.Accumulate(batch, first_row, pass, accumulators[slot]);
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
Status RunFitPass(Pipeline* pipeline, int pass, const OpenPassInput& open, BatchSpillWriter* spill,
                  ReadReport* report, dist::Communicator* world) {
  std::vector<std::unique_ptr<Accumulator>> merged;
  PassStats stats;
  Status status = dist::AgreeOnStatus(world, AccumulatePass(*pipeline, pass, open, spill, report, &merged, &stats));
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

// Transforms one stage's input into `sink`; *report is the input's read report.
Status RunTransformPass(const Pipeline& pipeline, const OpenPassInput& open, int pass, const BatchSink& sink,
                        ReadReport* report, const std::string& prefix) {
  auto reader = open();
  if (!reader.ok()) return reader.status();
  PassStats stats;
  Status status = RunParallelPass(
      reader->get(), DefaultSlotCount(),
      [&](const RecordBatchPtr& batch, int64_t first_row, int) { return pipeline.Transform(batch, first_row); },
      sink, &stats);
  if (!status.ok()) return status;
  *report = (*reader)->report();
  LogInfo(prefix + DescribePass("pass " + std::to_string(pass) + " (transform)", stats));
  return Status::OK();
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

// The output of `plan` around an opened dataset writer.
Result<StageOutput> OpenStageOutput(std::unique_ptr<DatasetWriter> dataset, const StagePlan& plan,
                                    const DatasetWriteOptions& options) {
  if (plan.split_names.empty()) return StageOutput(std::move(dataset), nullptr);
  auto splits = SplitWriter::Open(dataset->temp_directory(), plan.split_names, plan.output_schema, options);
  if (!splits.ok()) return splits.status();
  return StageOutput(std::move(dataset), std::move(*splits));
}

// The dataset options for `plan`: with splits, the parts live in the split
// directories, so the top one gets no empty part.
DatasetWriteOptions DatasetOptionsFor(const StagePlan& plan, DatasetWriteOptions options) {
  options.empty_part = plan.split_names.empty();
  return options;
}

// Runs every stage of `plan` (stage_plan.h): (when `fit`) its fit passes,
// then its transform pass into the next stage's sorter, or for the last
// stage into `output`. The first stage's first fit pass spills the parsed
// input for its later passes. Scratch files go to the output's temporary
// directory. Collective; only the single-stage plan runs on several ranks.
Status RunStages(StagePlan* plan, const InputSpec& input, bool fit, StageOutput* output, PrepSummary* summary,
                 dist::Communicator* world) {
  OpenPassInput open = [&input] { return OpenInput(input); };
  std::string scratch = output->dataset()->temp_directory();
  std::string spill_path = scratch + "/_parsed-" + std::to_string(world->rank()) + ".spill";
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
    bool spill = s == 0 && input.spill_parsed && fit_passes > 0;
    for (int pass = 1; pass <= fit_passes; ++pass) {
      std::unique_ptr<BatchSpillWriter> spill_writer;
      if (spill && pass == 1) {
        auto created = BatchSpillWriter::Create(spill_path, input_schema);
        Status status = dist::AgreeOnStatus(world, created.status());
        if (!status.ok()) return status;
        spill_writer = std::move(*created);
      }
      Status status = RunFitPass(&pipeline, pass, open, spill_writer.get(), &report, world);
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
        [&](const RecordBatchPtr& result) { return sorter ? sorter->Add(result) : output->Write(*result); }, &report,
        RankPrefix(*world));
    if (status.ok() && sorter) status = sorter->Finish(report);
    if (s == 0) {
      std::error_code removed;
      std::filesystem::remove(spill_path, removed);
    }
    if (!status.ok()) return status;
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

// Steps that reorder or split the stream need the whole stream in one
// process: under mpirun they fail up front, on every rank alike.
Status CheckDistributable(const StagePlan& plan, const dist::Communicator& world) {
  if (world.size() == 1 || (plan.stages.size() == 1 && plan.split_names.empty())) return Status::OK();
  return Status::NotSupported(
      "sort, shuffle, difference_lag, collapse_by_hist and split run in one process for now; run this pipeline "
      "without mpirun");
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

// The dataset writer of this rank: rank 0 creates the temporary directory
// (named after its pid) and publishes it; every rank stages its parts there.
Result<std::unique_ptr<DatasetWriter>> OpenDatasetWriter(const OutputSpec& output, const SchemaPtr& schema,
                                                         dist::Communicator* world) {
  if (world->size() == 1) return DatasetWriter::Open(output.path, schema, output.dataset);
  DatasetShare share;
  share.publisher = world->rank() == 0;
  share.run_id = world->AllGather(std::to_string(getpid()))[0];
  share.rank = world->rank();
  Result<std::unique_ptr<DatasetWriter>> writer = Status::Internal("not opened");
  if (share.publisher) writer = DatasetWriter::Open(output.path, schema, output.dataset, share);
  Status status = dist::AgreeOnStatus(world, share.publisher ? writer.status() : Status::OK());
  if (!status.ok()) return status;
  if (!share.publisher) writer = DatasetWriter::Open(output.path, schema, output.dataset, share);
  status = dist::AgreeOnStatus(world, writer.status());
  if (!status.ok()) return status;
  return writer;
}

// Gives the ranks' parts their final names: rank r's parts follow those of
// ranks 0..r-1, so name order is input row order. Collective.
Status NumberPartsAcrossRanks(DatasetWriter* writer, dist::Communicator* world) {
  if (world->size() == 1) return Status::OK();
  std::vector<int64_t> parts(world->size(), 0);
  parts[world->rank()] = writer->parts_written();
  world->AllReduceSum(parts);
  int64_t first = 0, total = 0;
  for (int r = 0; r < world->size(); ++r) {
    if (r < world->rank()) first += parts[r];
    total += parts[r];
  }
  return dist::AgreeOnStatus(world, writer->NumberParts(static_cast<int>(first), static_cast<int>(total)));
}

// Turns the summary's row counts into sums over the ranks.
void SumOverRanks(dist::Communicator* world, PrepSummary* summary) {
  std::vector<int64_t> counts = {summary->rows_in, summary->rows_skipped, summary->rows_out};
  world->AllReduceSum(counts);
  summary->rows_in = counts[0];
  summary->rows_skipped = counts[1];
  summary->rows_out = counts[2];
}

// Publishes the dataset once every rank has finished its parts and rank 0
// its state (`state_saved`). Collective.
Status PublishDataset(DatasetWriter* writer, const Status& state_saved, dist::Communicator* world) {
  Status status = dist::AgreeOnStatus(world, state_saved);
  if (!status.ok()) return status;
  if (world->rank() != 0) status = writer->Commit();
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  if (world->rank() == 0) status = writer->Commit();
  return dist::AgreeOnStatus(world, status);
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
  bool hex_fallback = false;
  auto schema = PrepareInput(&job->input, true, &hex_fallback, world);
  if (!schema.ok()) return schema.status();
  auto plan = PlanStages(job->pipeline, *schema);
  Status status = dist::AgreeOnStatus(world, plan.ok() ? CheckDistributable(*plan, *world) : plan.status());
  if (!status.ok()) return status;
  OutputSpec output_spec = job->output;
  output_spec.dataset = DatasetOptionsFor(*plan, job->output.dataset);
  auto writer = OpenDatasetWriter(output_spec, plan->output_schema, world);
  if (!writer.ok()) return writer.status();
  auto output = OpenStageOutput(std::move(*writer), *plan, job->output.dataset);
  status = dist::AgreeOnStatus(world, output.status());
  if (!status.ok()) return status;
  PrepSummary summary;
  status = RunStages(&*plan, job->input, true, &*output, &summary, world);
  if (status.ok()) status = output->CommitSplits();
  if (status.ok()) status = output->dataset()->FinishParts();
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  status = NumberPartsAcrossRanks(output->dataset(), world);
  if (!status.ok()) return status;
  SumOverRanks(world, &summary);
  if (world->rank() == 0) {
    auto state_directory = output->dataset()->StateDirectory();
    status = state_directory.ok() ? SaveState(*job, hex_fallback, *state_directory) : state_directory.status();
  }
  status = PublishDataset(output->dataset(), status, world);
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
  dist::LocalCommunicator local;
  auto prepared = PrepareInput(&job->input, false, &unused, &local);
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
  auto writer = DatasetWriter::Open(output_path, plan->output_schema, DatasetOptionsFor(*plan, job->output.dataset));
  if (!writer.ok()) return writer.status();
  auto output = OpenStageOutput(std::move(*writer), *plan, job->output.dataset);
  if (!output.ok()) return output.status();
  PrepSummary summary;
  Status status = RunStages(&*plan, job->input, false, &*output, &summary, &local);
  if (status.ok()) status = output->CommitSplits();
  if (status.ok()) status = output->dataset()->Commit();
  if (!status.ok()) return status;
  summary.seconds = SecondsSince(start);
  return summary;
}

}  // namespace kiln::prep
