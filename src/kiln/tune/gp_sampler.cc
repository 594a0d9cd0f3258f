#include "kiln/tune/gp_sampler.h"

#include <algorithm>
#include <cmath>

#include "kiln/tune/basic_samplers.h"
#include "kiln/tune/pareto.h"
#include "kiln/tune/point_encoding.h"

namespace kiln::tune {

namespace {

// The training data of one study, in loss form.
struct Observations {
  std::vector<std::vector<double>> points;          // Completed trials.
  std::vector<std::vector<double>> losses;          // Per completed trial, one loss per objective.
  std::vector<std::vector<double>> slacks;          // Per completed trial, loss minus threshold loss per constraint.
  std::vector<bool> feasible;                       // Per completed trial: constraints and thresholds met.
  std::vector<std::vector<double>> pending;         // Running trials' points.
  std::vector<std::vector<double>> failed;          // Failed trials' points.
};

Observations Collect(const SampleContext& context) {
  const std::vector<MetricSpec>& metrics = *context.metrics;
  Observations data;
  for (const TrialRecord& trial : *context.trials) {
    if (trial.state == TrialState::kRunning && !trial.params.empty()) data.pending.push_back(trial.params);
    if (trial.state == TrialState::kFailed && !trial.params.empty()) data.failed.push_back(trial.params);
    if (trial.state != TrialState::kComplete || trial.values.size() != metrics.size()) continue;
    std::vector<double> losses, slacks;
    bool usable = true;
    for (size_t m = 0; m < metrics.size(); ++m) {
      double loss = Loss(metrics[m], trial.values[m]);
      if (!std::isfinite(loss)) usable = false;
      if (!metrics[m].constraint) losses.push_back(loss);
      if (metrics[m].constraint && metrics[m].threshold) slacks.push_back(loss - Loss(metrics[m], *metrics[m].threshold));
    }
    if (!usable) continue;
    data.points.push_back(trial.params);
    data.losses.push_back(std::move(losses));
    data.slacks.push_back(std::move(slacks));
    data.feasible.push_back(MeetsAllThresholds(metrics, trial.values));
  }
  return data;
}

Eigen::VectorXd Column(const std::vector<std::vector<double>>& rows, size_t column) {
  Eigen::VectorXd values(static_cast<int>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) values[static_cast<int>(i)] = rows[i][column];
  return values;
}

// The fitted models and what the acquisition compares against.
struct Models {
  std::vector<GaussianProcess> objectives;   // One per objective.
  std::vector<GaussianProcess> constraints;  // One per constraint metric with a threshold.
  double best_loss = 0;                      // One objective: best feasible loss.
  bool have_feasible = false;                // Some completed trial is feasible.
  std::vector<std::vector<double>> front;    // Several objectives: feasible Pareto front (losses).
  std::vector<double> reference;             // Several objectives: hypervolume reference point.
};

std::vector<double> ReferencePoint(const SampleContext& context, const Observations& data) {
  std::vector<size_t> objectives = ObjectiveIndices(*context.metrics);
  std::vector<double> reference;
  for (size_t k = 0; k < objectives.size(); ++k) {
    const MetricSpec& metric = (*context.metrics)[objectives[k]];
    if (metric.threshold) {
      reference.push_back(Loss(metric, *metric.threshold));
      continue;
    }
    double low = INFINITY, high = -INFINITY;
    for (const auto& losses : data.losses) {
      low = std::min(low, losses[k]);
      high = std::max(high, losses[k]);
    }
    reference.push_back(high + 0.1 * std::max(high - low, 1e-9));
  }
  return reference;
}

// Probability that every constraint metric meets its threshold.
std::vector<double> Feasibility(const Models& models, const Eigen::MatrixXd& features) {
  std::vector<double> probability(features.rows(), 1.0);
  for (const GaussianProcess& process : models.constraints) {
    Eigen::VectorXd mean, variance;
    process.Predict(features, &mean, &variance);
    for (int i = 0; i < features.rows(); ++i) probability[i] *= ProbabilityBelowZero(mean[i], variance[i]);
  }
  return probability;
}

// Hypervolume the front gains from `point`: the box between it and the
// reference, less the part the front already dominates.
// REQUIRES: `front` is non-dominated and sorted (by its first loss).
double HypervolumeImprovement(const std::vector<std::vector<double>>& front, const std::vector<double>& reference,
                              const std::vector<double>& point) {
  double box = 1;
  for (size_t k = 0; k < reference.size(); ++k) {
    if (point[k] >= reference[k]) return 0;
    box *= reference[k] - point[k];
  }
  if (reference.size() == 2) {
    // The front is sorted by the first loss, so the clipped corners form a
    // staircase already in order: one sweep, no sort.
    double covered = 0, lowest_second = reference[1];
    for (const auto& member : front) {
      double first = std::max(member[0], point[0]), second = std::max(member[1], point[1]);
      if (first >= reference[0] || second >= lowest_second) continue;
      covered += (reference[0] - first) * (lowest_second - second);
      lowest_second = second;
    }
    return box - covered;
  }
  std::vector<std::vector<double>> clipped;
  for (const auto& member : front) {
    std::vector<double> corner(member.size());
    for (size_t k = 0; k < member.size(); ++k) corner[k] = std::max(member[k], point[k]);
    clipped.push_back(std::move(corner));
  }
  return box - Hypervolume(std::move(clipped), reference);
}

// One objective, when the losses are heavy-tailed (the worst lie much
// farther above the median than the best below it): a log warp that spreads
// out the good end (Rosenbrock-like valleys), so the GP models where the
// optimum is rather than the scale of the worst trials. Monotone, so the order of the
// trials (and the argmin) is unchanged.
Eigen::VectorXd WarpLosses(const Eigen::VectorXd& losses) {
  double low = losses.minCoeff();
  std::vector<double> sorted(losses.data(), losses.data() + losses.size());
  std::sort(sorted.begin(), sorted.end());
  double median = sorted[sorted.size() / 2];
  double high = sorted.back();
  if (high - median <= 3 * (median - low)) return losses;  // Not heavy-tailed: leave as is.
  double offset = std::max(0.1 * (median - low), 1e-12);
  return (losses.array() - low + offset).log().matrix();
}

}  // namespace

int GpSampler::AutomaticStartup(const SampleContext& context) {
  int dimensions = static_cast<int>(context.space->size());
  int startup = std::clamp(2 * dimensions, 6, 20);
  if (context.budget > 0) startup = std::min<int>(startup, std::max<int64_t>(3, context.budget / 4));
  return startup;
}

namespace {

// Fits one GP per objective (completed trials, running ones at the best
// loss, failed ones at the worst) and one per constraint metric.
Status FitModels(const Observations& data, const PointEncoding& encoding, const GaussianProcessOptions& options,
                 std::mt19937_64* rng, Models* models) {
  std::vector<std::vector<double>> training = data.points;
  training.insert(training.end(), data.pending.begin(), data.pending.end());
  training.insert(training.end(), data.failed.begin(), data.failed.end());
  Eigen::MatrixXd features = encoding.EncodeAll(training);
  size_t objective_count = data.losses[0].size();
  for (size_t k = 0; k < objective_count; ++k) {
    Eigen::VectorXd targets = Column(data.losses, k);
    if (objective_count == 1) targets = WarpLosses(targets);
    Eigen::VectorXd lied(features.rows());
    lied << targets, Eigen::VectorXd::Constant(static_cast<int>(data.pending.size()), targets.minCoeff()),
        Eigen::VectorXd::Constant(static_cast<int>(data.failed.size()), targets.maxCoeff());
    Status status = models->objectives.emplace_back(options).Fit(features, lied, rng);
    if (!status.ok()) return status;
  }
  Eigen::MatrixXd completed_features = features.topRows(static_cast<int>(data.points.size()));
  for (size_t c = 0; c < data.slacks[0].size(); ++c) {
    Status status = models->constraints.emplace_back(options).Fit(completed_features, Column(data.slacks, c), rng);
    if (!status.ok()) return status;
  }
  return Status::OK();
}

// What the acquisition compares against: the best feasible (warped) loss,
// or the feasible front and the reference point. Returns the incumbents,
// the points the acquisition search perturbs: the five best trials, or the
// trials on the front.
std::vector<std::vector<double>> SetBaseline(const SampleContext& context, const Observations& data, Models* models) {
  size_t objective_count = data.losses[0].size();
  Eigen::VectorXd warped_single = WarpLosses(Column(data.losses, 0));
  std::vector<std::vector<double>> feasible_losses;
  for (size_t i = 0; i < data.points.size(); ++i) {
    if (!data.feasible[i]) continue;
    feasible_losses.push_back(data.losses[i]);
    double loss = objective_count == 1 ? warped_single[static_cast<int>(i)] : data.losses[i][0];
    if (!models->have_feasible || loss < models->best_loss) models->best_loss = loss;
    models->have_feasible = true;
  }
  std::vector<std::vector<double>> incumbents;
  if (objective_count > 1) {
    models->reference = ReferencePoint(context, data);
    for (size_t index : NonDominatedIndices(feasible_losses)) models->front.push_back(feasible_losses[index]);
    std::sort(models->front.begin(), models->front.end());
    for (size_t i = 0; i < data.points.size(); ++i) {
      if (data.feasible[i] && std::count(models->front.begin(), models->front.end(), data.losses[i])) {
        incumbents.push_back(data.points[i]);
      }
    }
    return incumbents;
  }
  std::vector<size_t> order(data.points.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return data.losses[a][0] < data.losses[b][0]; });
  for (size_t i = 0; i < std::min<size_t>(5, order.size()); ++i) incumbents.push_back(data.points[order[i]]);
  return incumbents;
}

// Expected improvement (one objective) or Monte Carlo expected hypervolume
// improvement over `draws` (several), times the probability of feasibility.
std::vector<double> Score(const Models& models, const Eigen::MatrixXd& features,
                          const std::vector<std::vector<double>>& draws) {
  std::vector<double> scores = Feasibility(models, features);
  if (!models.have_feasible) return scores;  // Find a feasible region first.
  size_t objective_count = models.objectives.size();
  std::vector<Eigen::VectorXd> means(objective_count), variances(objective_count);
  for (size_t k = 0; k < objective_count; ++k) models.objectives[k].Predict(features, &means[k], &variances[k]);
  std::vector<double> sample(objective_count);
  for (int i = 0; i < features.rows(); ++i) {
    if (objective_count == 1) {
      scores[i] *= ExpectedImprovement(means[0][i], variances[0][i], models.best_loss);
      continue;
    }
    double improvement = 0;
    for (const auto& draw : draws) {
      for (size_t k = 0; k < objective_count; ++k) sample[k] = means[k][i] + std::sqrt(variances[k][i]) * draw[k];
      improvement += HypervolumeImprovement(models.front, models.reference, sample);
    }
    scores[i] *= improvement / draws.size();
  }
  return scores;
}

}  // namespace

Result<std::vector<double>> GpSampler::Suggest(const SampleContext& context) {
  const SearchSpace& space = *context.space;
  Observations data = Collect(context);
  int startup = options_.startup_trials > 0 ? options_.startup_trials : AutomaticStartup(context);
  if (context.trial_number < startup || data.points.size() < 2) return SobolSampler().Suggest(context);

  std::mt19937_64 rng = SuggestionRng(context, 3);
  PointEncoding encoding(space);
  Models models;
  Status fitted = FitModels(data, encoding, options_.process, &rng, &models);
  if (!fitted.ok()) return fitted;
  std::vector<std::vector<double>> incumbents = SetBaseline(context, data, &models);
  // Common random numbers: every candidate sees the same posterior draws, so
  // the search compares candidates, not noise.
  std::normal_distribution<double> normal(0, 1);
  std::vector<std::vector<double>> draws(options_.hypervolume_samples, std::vector<double>(models.objectives.size()));
  for (auto& draw : draws) {
    for (double& z : draw) z = normal(rng);
  }
  Acquisition acquisition = [&](const std::vector<std::vector<double>>& points) {
    return Score(models, encoding.EncodeAll(points), draws);
  };
  return MaximizeAcquisition(space, acquisition, incumbents, &rng, options_.search);
}

}  // namespace kiln::tune
