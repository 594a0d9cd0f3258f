#include "kiln/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "kiln/core/file.h"
#include "kiln/core/logging.h"
#include "kiln/core/thread_pool.h"
#include "kiln/data/loader.h"
#include "kiln/dist/agreement.h"
#include "kiln/dist/world.h"
#include "kiln/io/json_format.h"
#include "kiln/train/dataset_rows.h"
#include "kiln/train/dlrm_step.h"
#include "kiln/train/lr_schedule.h"
#include "kiln/train/predictor.h"
#include "kiln/train/saved_model.h"

namespace kiln::train {

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// What the options resolve to once the data has been looked at.
struct TrainPlan {
  models::DlrmConfig config;
  data::ColumnMapping mapping = data::DlrmColumnMapping();
  OptimizerOptions optimizer;
  LrSchedule schedule;
  std::unique_ptr<data::DataSource> source;  // For the held-out rows.
  int64_t train_rows = 0;                    // The first rows; the rest are held out.
  bool bf16 = false;                         // Autocast to BF16.
};

Result<TrainPlan> MakePlan(const TrainOptions& o, int world_size) {
  Status status = ValidateTrainOptions(o);
  if (!status.ok()) return status;
  TrainPlan plan;
  plan.config.bottom_mlp = *models::ParseLayerSizes(o.arch_mlp_bot, "arch_mlp_bot");
  plan.config.top_mlp = *models::ParseLayerSizes(o.arch_mlp_top, "arch_mlp_top");
  plan.config.interaction = *models::ParseInteraction(o.interaction, "interaction");
  plan.config.embedding_dim = o.emb_dim;
  auto rows = models::TableRowsFromPrepState(o.data + "/_state", plan.mapping.sparse, o.table_cap);
  if (!rows.ok()) return rows.status();
  plan.config.table_rows = *rows;
  status = models::ValidateDlrmConfig(plan.config, static_cast<int>(plan.mapping.dense.size()),
                                      static_cast<int>(plan.mapping.sparse.size()));
  if (!status.ok()) return status;
  if (o.batch_size % world_size != 0) {
    return Status::InvalidArgument("'batch_size': " + std::to_string(o.batch_size) + " does not split evenly over " +
                                   std::to_string(world_size) + " ranks");
  }
  auto source = data::DataSource::Open({{o.data}, plan.mapping, 0, {}});
  if (!source.ok()) return source.status();
  plan.source = std::move(*source);
  const int64_t total = plan.source->num_rows();
  plan.train_rows = HeldOutFirstRow(total, o.eval_fraction);
  plan.optimizer.kind = *ParseOptimizerKind(o.optimizer, "optimizer");
  plan.optimizer.beta1 = static_cast<float>(o.beta1);
  plan.optimizer.beta2 = static_cast<float>(o.beta2);
  plan.optimizer.epsilon = static_cast<float>(o.epsilon);
  plan.optimizer.weight_decay = static_cast<float>(o.weight_decay);
  plan.schedule = {static_cast<float>(o.learning_rate), o.warmup_steps, o.decay_start, o.decay_steps,
                   static_cast<float>(o.decay_power)};
  plan.bf16 = UseBf16(o.precision, "training");
  return plan;
}

// Optimizer state of one weight (dense tensor or table), StateSlots() arrays.
struct WeightState {
  std::vector<float> first;
  std::vector<float> second;
};

class Trainer {
 public:
  Trainer(const TrainOptions& options, TrainPlan plan, dist::Communicator* world)
      : options_(options), plan_(std::move(plan)), world_(world), module_(plan_.config, options.seed) {}

  Status Initialize();
  Result<TrainSummary> Run();

 private:
  // One optimizer step on *batch; *loss gets the mean loss over all ranks.
  Status Step(data::Batch* batch, double* loss);
  // Averages dense gradients over ranks.
  void ReduceDenseGradients();
  // Applies `update` to every dense weight, gradients first scaled by `scale`.
  void UpdateDenseWeights(const StepUpdate& update, float scale);
  // The squared norm of all gradients, dense and `sparse`.
  double SquaredGradientNorm(const std::vector<SparseGradient>& sparse);
  std::vector<SparseGradient> ReduceSparseGradients(std::vector<SparseGradient> local, Status* status);
  Result<EvalMetrics> Evaluate();
  Status SaveCheckpoint(const data::LoaderPosition& position);
  Status SaveModel();
  void AppendMetricsLine(const std::string& json);
  bool Writer() const { return world_->rank() == 0; }

  const TrainOptions& options_;                   // As given.
  TrainPlan plan_;                                // Resolved architecture and data.
  dist::Communicator* world_;                     // Ranks.
  models::DlrmModule module_;                     // The model.
  std::vector<torch::Tensor> parameters_;         // Dense weights, module order.
  std::vector<WeightState> dense_state_;          // Per dense weight.
  std::vector<WeightState> table_state_;          // Per table.
  std::vector<EmbeddingTable> tables_;            // Views of the tables with their state.
  int64_t step_ = 0;                              // Steps taken.
  int64_t samples_ = 0;                           // Rows trained on, all ranks.
  double seconds_ = 0;                            // Training time before this process (resume).
  data::LoaderPosition start_;                    // Where the loader starts.
  std::string checkpoint_path_;                   // RUN_DIR/checkpoint.kckp.
};

Status Trainer::Initialize() {
  const int slots = StateSlots(plan_.optimizer.kind);
  for (const torch::Tensor& tensor : module_.parameters()) {
    parameters_.push_back(tensor);
    WeightState state;
    state.first.resize(slots >= 1 ? tensor.numel() : 0);
    state.second.resize(slots >= 2 ? tensor.numel() : 0);
    dense_state_.push_back(std::move(state));
  }
  tables_ = TableViews(&module_);
  for (EmbeddingTable& table : tables_) {
    const int64_t size = table.rows * table.dim;
    WeightState state;
    state.first.resize(slots >= 1 ? size : 0);
    state.second.resize(slots >= 2 ? size : 0);
    table_state_.push_back(std::move(state));
    table.first = slots >= 1 ? table_state_.back().first.data() : nullptr;
    table.second = slots >= 2 ? table_state_.back().second.data() : nullptr;
  }
  checkpoint_path_ = options_.out + "/checkpoint.kckp";
  if (!options_.resume || !std::filesystem::exists(checkpoint_path_)) return Status::OK();
  auto contents = ReadCheckpoint(checkpoint_path_);
  if (!contents.ok()) return contents.status();
  Status status = RestoreWeights(*contents, checkpoint_path_, &module_);
  auto restore = [&](const std::string& name, std::vector<float>* values) {
    if (!status.ok() || values->empty()) return;
    status = RestoreArray(*contents, checkpoint_path_, name, values->data(), static_cast<int64_t>(values->size()));
  };
  std::vector<std::pair<std::string, torch::Tensor>> weights = module_.NamedWeights();
  for (size_t i = 0; i < dense_state_.size(); ++i) {
    restore("state1." + weights[i].first, &dense_state_[i].first);
    restore("state2." + weights[i].first, &dense_state_[i].second);
  }
  for (size_t i = 0; i < table_state_.size(); ++i) {
    restore("state1.table." + std::to_string(i), &table_state_[i].first);
    restore("state2.table." + std::to_string(i), &table_state_[i].second);
  }
  if (!status.ok()) return status;
  if (contents->header.seed != static_cast<uint64_t>(options_.seed)) {
    return Status::InvalidArgument(checkpoint_path_ + ": written with seed " + std::to_string(contents->header.seed) +
                                   ", this run has 'seed' " + std::to_string(options_.seed));
  }
  step_ = contents->header.step;
  samples_ = contents->header.samples;
  seconds_ = contents->header.seconds;
  start_ = {contents->header.epoch, contents->header.batch};
  LogInfo("resuming " + checkpoint_path_ + " at step " + std::to_string(step_));
  return Status::OK();
}

void Trainer::ReduceDenseGradients() {
  if (world_->size() == 1) return;
  const float scale = 1.0f / static_cast<float>(world_->size());
  for (torch::Tensor& parameter : parameters_) {
    torch::Tensor gradient = parameter.mutable_grad();
    world_->AllReduceSum(std::span<float>(gradient.data_ptr<float>(), gradient.numel()));
    gradient.mul_(scale);
  }
}

double Trainer::SquaredGradientNorm(const std::vector<SparseGradient>& sparse) {
  double squared = SquaredNorm(sparse);
  for (torch::Tensor& parameter : parameters_) squared += parameter.mutable_grad().pow(2).sum().item<double>();
  return squared;
}

std::vector<SparseGradient> Trainer::ReduceSparseGradients(std::vector<SparseGradient> local, Status* status) {
  if (world_->size() == 1) return local;
  // Traffic follows the touched rows: each rank sends its coalesced rows.
  const std::vector<std::string> parts = world_->AllGather(EncodeSparseGradients(local));
  std::vector<std::vector<SparseGradient>> decoded;
  for (size_t rank = 0; rank < parts.size(); ++rank) {
    auto gradients = DecodeSparseGradients(parts[rank], static_cast<int64_t>(tables_.size()), options_.emb_dim,
                                           "rank " + std::to_string(rank));
    if (!gradients.ok()) {
      *status = gradients.status();
      return {};
    }
    decoded.push_back(std::move(*gradients));
  }
  std::vector<SparseGradient> merged(tables_.size());
  const float scale = 1.0f / static_cast<float>(world_->size());
  for (size_t table = 0; table < tables_.size(); ++table) {
    std::vector<const SparseGradient*> pieces;
    for (const auto& rank_gradients : decoded) pieces.push_back(&rank_gradients[table]);
    merged[table] = MergeSparseGradients(pieces, options_.emb_dim);
    for (float& value : merged[table].values) value *= scale;
  }
  return merged;
}

void Trainer::UpdateDenseWeights(const StepUpdate& update, float scale) {
  // Pieces of the weights, updated in parallel. Adam, Adagrad and SGD are
  // elementwise, so any split gives the same result; LAMB's trust ratio is
  // per tensor, so each tensor stays one piece.
  constexpr int64_t kWeightsPerPiece = 16384;  // 64 KB of each array: several pieces per large tensor.
  const bool whole = plan_.optimizer.kind == OptimizerKind::kLamb;
  std::vector<int64_t> sizes;
  for (const torch::Tensor& parameter : parameters_) sizes.push_back(parameter.numel());
  const std::vector<WorkPiece> pieces =
      SplitIntoPieces(sizes, whole ? *std::max_element(sizes.begin(), sizes.end()) : kWeightsPerPiece);
  std::vector<float*> gradients;
  for (torch::Tensor& parameter : parameters_) gradients.push_back(parameter.mutable_grad().data_ptr<float>());
  TorchParallelFor(static_cast<int64_t>(pieces.size()), [&](int64_t p) {
    const WorkPiece& piece = pieces[p];
    float* gradient = gradients[piece.item] + piece.begin;
    const int64_t size = piece.end - piece.begin;
    if (scale != 1.0f) {
      for (int64_t j = 0; j < size; ++j) gradient[j] *= scale;
    }
    WeightState& state = dense_state_[piece.item];
    update.Apply(size, gradient, parameters_[piece.item].data_ptr<float>() + piece.begin,
                 state.first.empty() ? nullptr : state.first.data() + piece.begin,
                 state.second.empty() ? nullptr : state.second.data() + piece.begin);
  });
}

Status Trainer::Step(data::Batch* batch, double* loss) {
  MapIdsToRows(plan_.config, batch);
  torch::Tensor embedded = Embed(tables_, *batch, 0, batch->rows).requires_grad_(true);
  torch::Tensor labels = torch::from_blob(batch->label.data(), {batch->rows}, torch::kFloat32);
  module_.zero_grad(/*set_to_none=*/true);  // backward() writes fresh gradients, with no zeroing pass.
  torch::Tensor logits;
  {
    Bf16Autocast autocast(plan_.bf16);
    logits = module_.Forward(DenseTensor(batch, 0, batch->rows), embedded);
  }
  torch::Tensor batch_loss = torch::binary_cross_entropy_with_logits(logits.to(torch::kFloat32), labels);
  batch_loss.backward();
  double total_loss[1] = {batch_loss.item<double>() / world_->size()};
  world_->AllReduceSum(std::span<double>(total_loss, 1));
  *loss = total_loss[0];
  if (!std::isfinite(*loss)) return Status::OK();  // The caller stops before any update.

  ReduceDenseGradients();
  Status status;
  std::vector<SparseGradient> sparse = ReduceSparseGradients(
      CoalesceGradients(tables_, batch->sparse.data(), batch->rows, embedded.grad().contiguous().data_ptr<float>(),
                        TorchParallelFor),
      &status);
  if (!status.ok()) return status;
  float scale = 1.0f;
  if (options_.clip_norm > 0) {  // The norm costs a pass over every gradient: only when clipping.
    const double norm = std::sqrt(SquaredGradientNorm(sparse));
    if (norm > options_.clip_norm) scale = static_cast<float>(options_.clip_norm / norm);
  }

  ++step_;
  const StepUpdate update(plan_.optimizer, LearningRate(plan_.schedule, step_), step_);
  UpdateDenseWeights(update, scale);
  ApplySparseGradients(update, scale, sparse, &tables_, TorchParallelFor);
  return Status::OK();
}

Result<EvalMetrics> Trainer::Evaluate() {
  std::vector<float> probabilities;
  std::vector<uint8_t> labels;
  Status status = ForEachRows(*plan_.source, plan_.train_rows, [&](data::Batch* batch) {
    MapIdsToRows(plan_.config, batch);
    for (int64_t begin = 0; begin < batch->rows; begin += kInferenceRows) {
      const int64_t count = std::min(kInferenceRows, batch->rows - begin);
      std::vector<float> chunk = PredictRows(&module_, tables_, batch, begin, count, plan_.bf16);
      probabilities.insert(probabilities.end(), chunk.begin(), chunk.end());
    }
    for (int64_t row = 0; row < batch->rows; ++row) labels.push_back(batch->label[row] != 0);
    return Status::OK();
  });
  if (!status.ok()) return status;
  for (float p : probabilities) {
    if (std::isnan(p)) return Status::Internal("evaluation at step " + std::to_string(step_) + ": NaN prediction");
  }
  return ComputeEvalMetrics(probabilities, labels);
}

Status Trainer::SaveCheckpoint(const data::LoaderPosition& position) {
  if (!Writer()) return Status::OK();
  std::vector<ArrayView> arrays = WeightViews(&module_);
  const size_t weights = arrays.size();
  for (size_t i = 0; i < weights; ++i) {
    const WeightState& state =
        i < dense_state_.size() ? dense_state_[i] : table_state_[i - dense_state_.size()];
    if (!state.first.empty()) arrays.push_back({"state1." + arrays[i].name, state.first.data(), arrays[i].size});
    if (!state.second.empty()) arrays.push_back({"state2." + arrays[i].name, state.second.data(), arrays[i].size});
  }
  CheckpointHeader header{step_, position.epoch, position.batch, samples_, static_cast<uint64_t>(options_.seed),
                          seconds_};
  return WriteCheckpoint(checkpoint_path_, header, arrays);
}

Status Trainer::SaveModel() {
  if (!Writer()) return Status::OK();
  const std::string directory = options_.out + "/model";
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return Status::IOError(directory + ": " + error.message());
  Status status = WriteModelInfo(directory, {plan_.config, plan_.mapping});
  if (status.ok()) status = WriteCheckpoint(WeightsPath(directory), {step_, 0, 0, samples_, 0, seconds_},
                                            WeightViews(&module_));
  if (status.ok()) status = CopyPrepState(options_.data + "/_state", directory);
  return status;
}

void Trainer::AppendMetricsLine(const std::string& json) {
  if (!Writer()) return;
  if (FILE* file = std::fopen((options_.out + "/metrics.jsonl").c_str(), "a")) {
    std::fprintf(file, "%s\n", json.c_str());
    std::fclose(file);
  }
}

Result<TrainSummary> Trainer::Run() {
  data::LoaderOptions loader_options;
  loader_options.paths = {options_.data};
  loader_options.mapping = plan_.mapping;
  loader_options.batch_size = options_.batch_size / world_->size();
  loader_options.epochs = options_.epochs;
  loader_options.shuffle = options_.shuffle;
  loader_options.seed = static_cast<uint64_t>(options_.seed);
  loader_options.shuffle_buffer_rows = options_.shuffle_buffer_rows;
  loader_options.rank = world_->rank();
  loader_options.world = world_->size();
  loader_options.row_limit = plan_.train_rows;
  loader_options.start = start_;
  auto loader = data::Loader::Open(loader_options);
  Status status = dist::AgreeOnStatus(world_, loader.ok() ? Status::OK() : loader.status());
  if (!status.ok()) return status;

  TrainSummary summary;
  summary.precision = plan_.bf16 ? "bf16" : "fp32";
  const double started = Now();
  double eval_seconds = 0;
  data::Batch batch;
  while (options_.max_steps == 0 || step_ < options_.max_steps) {
    const data::LoaderPosition position = (*loader)->position();
    status = dist::AgreeOnStatus(world_, (*loader)->Next(&batch));
    if (!status.ok()) return status;
    if (batch.rows == 0) break;
    double loss = 0;
    status = dist::AgreeOnStatus(world_, Step(&batch, &loss));
    if (!status.ok()) return status;
    if (!std::isfinite(loss)) {
      seconds_ += Now() - started - eval_seconds;
      Status saved = SaveCheckpoint(position);
      return Status::Internal("step " + std::to_string(step_ + 1) + ": the training loss is " + JsonMetric(loss) +
                              "; stopped (last good checkpoint: " +
                              (saved.ok() ? checkpoint_path_ : saved.ToString()) + ")");
    }
    samples_ += batch.rows * world_->size();
    summary.last_loss = loss;
    const double seconds = seconds_ + Now() - started - eval_seconds;
    if (step_ % options_.log_every == 0) {
      AppendMetricsLine("{\"step\": " + std::to_string(step_) + ", \"samples\": " + std::to_string(samples_) +
                        ", \"seconds\": " + JsonMetric(seconds) + ", \"loss\": " + JsonMetric(loss) +
                        ", \"learning_rate\": " + JsonMetric(LearningRate(plan_.schedule, step_)) + "}");
      if (Writer()) {
        LogInfo("step " + std::to_string(step_) + " loss " + JsonMetric(loss) + " " +
                JsonMetric(samples_ / std::max(seconds, 1e-9)) + " samples/s");
      }
    }
    if (options_.checkpoint_every > 0 && step_ % options_.checkpoint_every == 0) {
      const double saved_seconds = seconds_;
      seconds_ = seconds;
      status = dist::AgreeOnStatus(world_, SaveCheckpoint((*loader)->position()));
      seconds_ = saved_seconds;
      if (!status.ok()) return status;
    }
    if (options_.eval_every > 0 && step_ % options_.eval_every == 0 && plan_.train_rows < plan_.source->num_rows()) {
      const double eval_started = Now();
      auto metrics = Evaluate();
      if (!metrics.ok()) return metrics.status();
      eval_seconds += Now() - eval_started;
      summary.eval = *metrics;
      AppendMetricsLine("{\"step\": " + std::to_string(step_) + ", \"samples\": " + std::to_string(samples_) +
                        ", \"seconds\": " + JsonMetric(seconds) + ", \"auc\": " + JsonMetric(metrics->auc) +
                        ", \"logloss\": " + JsonMetric(metrics->logloss) + ", \"accuracy\": " +
                        JsonMetric(metrics->accuracy) + "}");
      if (options_.target_auc > 0 && metrics->auc >= options_.target_auc) {
        summary.early_stopped = true;
        if (Writer()) LogInfo("target AUC " + JsonMetric(options_.target_auc) + " reached at step " + std::to_string(step_));
        break;
      }
    }
  }
  seconds_ += Now() - started - eval_seconds;
  status = dist::AgreeOnStatus(world_, SaveCheckpoint((*loader)->position()));
  if (!status.ok()) return status;
  if (plan_.train_rows < plan_.source->num_rows()) {
    auto metrics = Evaluate();
    if (!metrics.ok()) return metrics.status();
    summary.eval = *metrics;
  }
  status = dist::AgreeOnStatus(world_, SaveModel());
  if (!status.ok()) return status;
  summary.steps = step_;
  summary.samples = samples_;
  summary.seconds = seconds_;
  summary.train_samples_per_s = seconds_ > 0 ? samples_ / seconds_ : 0;
  return summary;
}

std::string SummaryJson(const TrainSummary& summary) {
  return "{\"auc\": " + JsonMetric(summary.eval.auc) + ", \"logloss\": " + JsonMetric(summary.eval.logloss) +
         ", \"accuracy\": " + JsonMetric(summary.eval.accuracy) + ", \"eval_rows\": " + std::to_string(summary.eval.rows) +
         ", \"train_samples_per_s\": " + JsonMetric(summary.train_samples_per_s) +
         ", \"steps\": " + std::to_string(summary.steps) + ", \"samples\": " + std::to_string(summary.samples) +
         ", \"seconds\": " + JsonMetric(summary.seconds) + ", \"last_loss\": " + JsonMetric(summary.last_loss) +
         ", \"precision\": \"" + summary.precision + "\", \"early_stopped\": " +
         (summary.early_stopped ? "true" : "false") + "}\n";
}

}  // namespace

Result<TrainSummary> RunTraining(const TrainOptions& options, dist::Communicator* world) {
  auto plan = MakePlan(options, world->size());
  Status status = dist::AgreeOnStatus(world, plan.ok() ? Status::OK() : plan.status());
  if (!status.ok()) return status;
  const int threads = options.threads > 0 ? static_cast<int>(options.threads)
                                          : std::max(1, DefaultThreadCount() / dist::LocalRankCount());
  torch::set_num_threads(threads);
  std::error_code error;
  std::filesystem::create_directories(options.out, error);
  if (error) status = Status::IOError(options.out + ": " + error.message());
  if (status.ok() && world->rank() == 0) {
    status = WriteFileAtomically(options.out + "/config.yaml", TrainOptionsYaml(options));
  }
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  if (world->rank() == 0) {
    LogInfo("training on " + std::to_string(plan->train_rows) + " rows, evaluating on " +
            std::to_string(plan->source->num_rows() - plan->train_rows) + " (" + (plan->bf16 ? "bf16" : "fp32") +
            ", " + std::to_string(threads) + " threads, " + std::to_string(world->size()) + " ranks)");
  }
  Trainer trainer(options, std::move(*plan), world);
  status = dist::AgreeOnStatus(world, trainer.Initialize());
  if (!status.ok()) return status;
  auto summary = trainer.Run();
  if (!summary.ok()) return summary.status();
  if (world->rank() == 0) {
    status = WriteFileAtomically(options.out + "/metrics.json", SummaryJson(*summary));
  }
  status = dist::AgreeOnStatus(world, status);
  if (!status.ok()) return status;
  return summary;
}

}  // namespace kiln::train
