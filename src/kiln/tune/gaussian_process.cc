#include "kiln/tune/gaussian_process.h"

#include <algorithm>
#include <cmath>

namespace kiln::tune {

namespace {

constexpr double kSqrt5 = 2.2360679774997896;

// Log-parameter layout: d log length scales, log signal variance, log noise variance.
struct Bounds {
  double low;
  double high;
};
constexpr Bounds kLengthBounds{-4.6, 3.0};  // exp: 0.01 .. 20 (the inputs span 1).
constexpr Bounds kSignalBounds{-3.0, 3.0};
constexpr double kLogNoiseHigh = 0.0;  // Noise at most the targets' variance; the floor is options.min_noise.

// Weak priors (means and standard deviations of the log parameters) keep
// the fit sane with few points: moderate length scales, little noise.
constexpr double kLengthPriorMean = -0.7;
constexpr double kLengthPriorSd = 1.5;
constexpr double kNoisePriorMean = -7.0;
constexpr double kNoisePriorSd = 3.0;

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
double NormalPdf(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI); }

}  // namespace

double Matern52(double r) { return (1 + kSqrt5 * r + 5.0 / 3.0 * r * r) * std::exp(-kSqrt5 * r); }

double ExpectedImprovement(double mean, double variance, double best) {
  double sd = std::sqrt(std::max(variance, 1e-18));
  double z = (best - mean) / sd;
  return (best - mean) * NormalCdf(z) + sd * NormalPdf(z);
}

double ProbabilityBelowZero(double mean, double variance) {
  return NormalCdf(-mean / std::sqrt(std::max(variance, 1e-18)));
}

double GaussianProcess::Objective(const Eigen::VectorXd& theta, Eigen::VectorXd* gradient) const {
  const int n = static_cast<int>(inputs_.rows());
  const int d = static_cast<int>(inputs_.cols());
  Eigen::VectorXd inverse_sq_length = (-2.0 * theta.head(d)).array().exp();
  double signal = std::exp(theta[d]);
  double noise = std::exp(theta[d + 1]);
  Eigen::MatrixXd kernel(n, n);
  Eigen::MatrixXd radius(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j <= i; ++j) {
      double sq = ((inputs_.row(i) - inputs_.row(j)).array().square() * inverse_sq_length.transpose().array()).sum();
      double r = std::sqrt(sq);
      radius(i, j) = radius(j, i) = r;
      kernel(i, j) = kernel(j, i) = signal * Matern52(r);
    }
    kernel(i, i) += noise;
  }
  Eigen::LLT<Eigen::MatrixXd> llt(kernel);
  if (llt.info() != Eigen::Success) return -1e300;
  Eigen::VectorXd alpha = llt.solve(targets_);
  double log_det = 2 * llt.matrixL().toDenseMatrix().diagonal().array().log().sum();
  double value = -0.5 * targets_.dot(alpha) - 0.5 * log_det;
  // dL/dtheta = 0.5 tr(W dK/dtheta), W = alpha alpha^T - K^-1.
  Eigen::MatrixXd weights = alpha * alpha.transpose() - llt.solve(Eigen::MatrixXd::Identity(n, n));
  gradient->setZero(d + 2);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < i; ++j) {
      double r = radius(i, j);
      double common = weights(i, j) * signal * 5.0 / 3.0 * (1 + kSqrt5 * r) * std::exp(-kSqrt5 * r);
      for (int k = 0; k < d; ++k) {
        double diff = inputs_(i, k) - inputs_(j, k);
        (*gradient)[k] += common * diff * diff * inverse_sq_length[k];  // Off-diagonal pairs count twice; 0.5 cancels.
      }
    }
  }
  (*gradient)[d] = 0.5 * (weights.array() * (kernel.array() - noise * Eigen::MatrixXd::Identity(n, n).array())).sum();
  (*gradient)[d + 1] = 0.5 * noise * weights.trace();
  for (int k = 0; k < d; ++k) {
    double z = (theta[k] - kLengthPriorMean) / kLengthPriorSd;
    value -= 0.5 * z * z;
    (*gradient)[k] -= z / kLengthPriorSd;
  }
  double z_signal = theta[d];
  value -= 0.5 * z_signal * z_signal;
  (*gradient)[d] -= z_signal;
  double z_noise = (theta[d + 1] - kNoisePriorMean) / kNoisePriorSd;
  value -= 0.5 * z_noise * z_noise;
  (*gradient)[d + 1] -= z_noise / kNoisePriorSd;
  return value;
}

Status GaussianProcess::Factor(const Eigen::VectorXd& theta) {
  const int n = static_cast<int>(inputs_.rows());
  const int d = static_cast<int>(inputs_.cols());
  length_scales_ = theta.head(d).array().exp();
  signal_variance_ = std::exp(theta[d]);
  noise_variance_ = std::exp(theta[d + 1]);
  Eigen::MatrixXd kernel(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j <= i; ++j) {
      double r = std::sqrt(((inputs_.row(i) - inputs_.row(j)).array() / length_scales_.transpose().array())
                               .square()
                               .sum());
      kernel(i, j) = kernel(j, i) = signal_variance_ * Matern52(r);
    }
  }
  // Add jitter until the factorization succeeds (duplicate points).
  for (double jitter = 0; jitter < 1; jitter = jitter == 0 ? 1e-8 : jitter * 10) {
    Eigen::MatrixXd jittered = kernel;
    jittered.diagonal().array() += noise_variance_ + jitter;
    Eigen::LLT<Eigen::MatrixXd> llt(jittered);
    if (llt.info() == Eigen::Success) {
      cholesky_lower_ = llt.matrixL();
      alpha_ = llt.solve(targets_);
      return Status::OK();
    }
  }
  return Status::Internal("Gaussian process: the kernel matrix is not positive definite");
}

Status GaussianProcess::Fit(const Eigen::MatrixXd& inputs, const Eigen::VectorXd& targets, std::mt19937_64* rng) {
  const int n = static_cast<int>(inputs.rows());
  const int d = static_cast<int>(inputs.cols());
  if (n == 0 || targets.size() != n) return Status::InvalidArgument("Gaussian process: no training points");
  inputs_ = inputs;
  target_mean_ = targets.mean();
  double variance = n > 1 ? (targets.array() - target_mean_).square().sum() / (n - 1) : 0;
  target_scale_ = variance > 1e-24 ? std::sqrt(variance) : 1;
  targets_ = (targets.array() - target_mean_) / target_scale_;

  const double low_noise = std::log(options_.min_noise);
  auto clamp = [&](Eigen::VectorXd* theta) {
    for (int k = 0; k < d; ++k) (*theta)[k] = std::clamp((*theta)[k], kLengthBounds.low, kLengthBounds.high);
    (*theta)[d] = std::clamp((*theta)[d], kSignalBounds.low, kSignalBounds.high);
    (*theta)[d + 1] = std::clamp((*theta)[d + 1], low_noise, kLogNoiseHigh);
  };
  std::normal_distribution<double> normal(0, 1);
  Eigen::VectorXd best_theta;
  double best_value = -std::numeric_limits<double>::infinity();
  for (int start = 0; start < std::max(1, options_.restarts); ++start) {
    Eigen::VectorXd theta(d + 2);
    for (int k = 0; k < d; ++k) theta[k] = start == 0 ? -0.7 : -0.7 + 0.8 * normal(*rng);
    theta[d] = 0;
    theta[d + 1] = start == 0 ? -6 : -6 + 2 * normal(*rng);
    clamp(&theta);
    Eigen::VectorXd first = Eigen::VectorXd::Zero(d + 2), second = Eigen::VectorXd::Zero(d + 2), gradient;
    for (int step = 1; step <= options_.iterations; ++step) {
      double value = Objective(theta, &gradient);
      if (value > best_value) {
        best_value = value;
        best_theta = theta;
      }
      if (value <= -1e300) break;
      first = 0.9 * first + 0.1 * gradient;
      second = 0.999 * second + 0.001 * gradient.array().square().matrix();
      Eigen::VectorXd first_hat = first / (1 - std::pow(0.9, step));
      Eigen::VectorXd second_hat = second / (1 - std::pow(0.999, step));
      theta += options_.learning_rate * (first_hat.array() / (second_hat.array().sqrt() + 1e-8)).matrix();
      clamp(&theta);
    }
  }
  if (best_theta.size() == 0) {
    best_theta = Eigen::VectorXd::Constant(d + 2, -0.7);
    best_theta[d] = 0;
    best_theta[d + 1] = -2;
  }
  return Factor(best_theta);
}

void GaussianProcess::Predict(const Eigen::MatrixXd& points, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const {
  const int m = static_cast<int>(points.rows());
  const int n = static_cast<int>(inputs_.rows());
  Eigen::MatrixXd cross(n, m);
  Eigen::ArrayXd inverse_length = length_scales_.array().inverse();
  for (int j = 0; j < m; ++j) {
    for (int i = 0; i < n; ++i) {
      double r = std::sqrt(((inputs_.row(i) - points.row(j)).array() * inverse_length.transpose()).square().sum());
      cross(i, j) = signal_variance_ * Matern52(r);
    }
  }
  Eigen::MatrixXd solved = cholesky_lower_.triangularView<Eigen::Lower>().solve(cross);
  *mean = (cross.transpose() * alpha_).array() * target_scale_ + target_mean_;
  *variance = (signal_variance_ - solved.array().square().colwise().sum()).max(1e-12).transpose() *
              (target_scale_ * target_scale_);
}

}  // namespace kiln::tune
