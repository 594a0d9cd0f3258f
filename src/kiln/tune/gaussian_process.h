// GaussianProcess: a GP regression model with a Matérn-5/2 kernel and one
// length scale per input (ARD), its hyper-parameters (length scales, signal
// and noise variance) fitted by maximizing the log marginal likelihood, with
// weak log-normal priors, by Adam on analytic gradients from a few starts.
//
// Inputs are encoded points in [0,1]^d; targets are standardized inside, and
// predictions come back in the targets' units.
#pragma once

#include <Eigen/Dense>
#include <random>

#include "kiln/core/status.h"

namespace kiln::tune {

struct GaussianProcessOptions {
  int restarts = 2;             // Starting points for the likelihood ascent (the first is a fixed default).
  int iterations = 60;          // Adam steps per start.
  double learning_rate = 0.08;  // Adam step size in log-parameter space.
  double min_noise = 1e-6;      // Floor of the noise variance (standardized units).
};

class GaussianProcess {
 public:
  explicit GaussianProcess(GaussianProcessOptions options = {}) : options_(options) {}

  // REQUIRES: inputs.rows() == targets.size() >= 1.
  Status Fit(const Eigen::MatrixXd& inputs, const Eigen::VectorXd& targets, std::mt19937_64* rng);

  // Posterior mean and variance (of the latent function) at each row of
  // `points`. REQUIRES: Fit() succeeded.
  void Predict(const Eigen::MatrixXd& points, Eigen::VectorXd* mean, Eigen::VectorXd* variance) const;

  const Eigen::VectorXd& length_scales() const { return length_scales_; }
  double noise_variance() const { return noise_variance_; }  // Standardized units.

 private:
  // Log marginal likelihood plus log prior, and its gradient, at `log_parameters`.
  double Objective(const Eigen::VectorXd& log_parameters, Eigen::VectorXd* gradient) const;
  Status Factor(const Eigen::VectorXd& log_parameters);

  GaussianProcessOptions options_;
  Eigen::MatrixXd inputs_;           // n x d training inputs.
  Eigen::VectorXd targets_;          // Standardized targets.
  double target_mean_ = 0;           // For un-standardizing.
  double target_scale_ = 1;
  Eigen::VectorXd length_scales_;    // d, fitted.
  double signal_variance_ = 1;       // Fitted.
  double noise_variance_ = 1e-3;     // Fitted.
  Eigen::MatrixXd cholesky_lower_;   // L of K = L L^T.
  Eigen::VectorXd alpha_;            // K^-1 y.
};

// Matérn-5/2 correlation at scaled distance r.
double Matern52(double r);

// Expected improvement below `best` for a Gaussian with mean and variance.
double ExpectedImprovement(double mean, double variance, double best);
// P(value <= 0) for a Gaussian with mean and variance.
double ProbabilityBelowZero(double mean, double variance);

}  // namespace kiln::tune
