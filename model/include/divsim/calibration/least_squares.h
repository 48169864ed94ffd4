// Bounded nonlinear least squares (Levenberg-Marquardt on Eigen) for noisy, costly residuals.
#pragma once

#include <Eigen/Dense>

#include <functional>
#include <string>
#include <vector>

namespace divsim {

/** A parameter's bounds; the search runs on z = logit((x - min) / (max - min)). */
struct Bounds {
  double min = 0;
  double max = 1;

  double to_z(double x) const;
  double to_x(double z) const;
  /** dx/dz at z. */
  double slope(double z) const;
};

/** One evaluation of the residuals, as the optimiser saw it. */
struct LeastSquaresEvaluation {
  int evaluation = 0;  // 1-based
  int iteration = 0;   // 0: the starting point
  std::string kind;    // start, jacobian, trial
  double objective = 0;
  bool accepted = false;  // a trial that became the current point
  std::vector<double> x;
};

struct LeastSquaresOptions {
  int max_iterations = 30;
  /** Finite-difference step in z: large enough to see past the noise of a common-random run. */
  double step = 0.1;
  /** Stops when an iteration lowers the objective by less than this fraction. */
  double relative_tolerance = 1e-4;
  /** Called after every evaluation (progress, history). */
  std::function<void(const LeastSquaresEvaluation&)> on_evaluation;
};

struct LeastSquaresResult {
  Eigen::VectorXd x;          // the best point found
  Eigen::VectorXd z;          // the same in the search coordinates
  Eigen::VectorXd residuals;  // at x
  double objective = 0;       // sum of squared residuals at x
  /** (J'J)^-1 in z at x: the Gaussian approximation of the parameters' uncertainty. */
  Eigen::MatrixXd covariance_z;
  int iterations = 0;
  int evaluations = 0;
  std::string stop_reason;
};

/**
 * Minimises the sum of squared `residuals(x)` for x within `bounds`, from `start`; the columns of
 * a Jacobian are evaluated in parallel, so `residuals` must be safe to call concurrently. Residuals
 * are expected to be scaled (divided by each target's sigma), so that the objective is a chi-square
 * and (J'J)^-1 a covariance.
 */
LeastSquaresResult least_squares(
    const std::function<Eigen::VectorXd(const Eigen::VectorXd& x)>& residuals,
    const std::vector<Bounds>& bounds, const Eigen::VectorXd& start,
    const LeastSquaresOptions& options);

}  // namespace divsim
