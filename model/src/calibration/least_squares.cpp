// Levenberg-Marquardt with Marquardt's diagonal scaling and forward-difference Jacobians. The
// residuals come from simulations with common random numbers: smooth at the scale of the step,
// piecewise constant below it, so the step is large and the Jacobian is never refined.
#include "divsim/calibration/least_squares.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

namespace divsim {

double Bounds::to_z(double x) const {
  const double u = std::clamp((x - min) / (max - min), 1e-9, 1 - 1e-9);
  return std::log(u / (1 - u));
}

double Bounds::to_x(double z) const {
  return min + (max - min) / (1 + std::exp(-z));
}

double Bounds::slope(double z) const {
  const double s = 1 / (1 + std::exp(-z));
  return (max - min) * s * (1 - s);
}

LeastSquaresResult least_squares(
    const std::function<Eigen::VectorXd(const Eigen::VectorXd& x)>& residuals,
    const std::vector<Bounds>& bounds, const Eigen::VectorXd& start,
    const LeastSquaresOptions& options) {
  const int n = static_cast<int>(bounds.size());
  auto to_x = [&](const Eigen::VectorXd& z) {
    Eigen::VectorXd x(n);
    for (int j = 0; j < n; ++j) x(j) = bounds[j].to_x(z(j));
    return x;
  };
  LeastSquaresResult out;
  int iteration = 0;
  auto report = [&](const Eigen::VectorXd& z, const Eigen::VectorXd& r, const char* kind,
                    bool accepted) {
    const Eigen::VectorXd x = to_x(z);
    ++out.evaluations;
    if (options.on_evaluation) {
      LeastSquaresEvaluation e;
      e.evaluation = out.evaluations;
      e.iteration = iteration;
      e.kind = kind;
      e.objective = r.squaredNorm();
      e.accepted = accepted;
      e.x.assign(x.data(), x.data() + n);
      options.on_evaluation(e);
    }
  };
  auto evaluate = [&](const Eigen::VectorXd& z, const char* kind, bool accepted) {
    Eigen::VectorXd r = residuals(to_x(z));
    report(z, r, kind, accepted);
    return r;
  };

  Eigen::VectorXd z(n);
  for (int j = 0; j < n; ++j) z(j) = bounds[j].to_z(start(j));
  Eigen::VectorXd r = evaluate(z, "start", true);
  double objective = r.squaredNorm();
  double lambda = 1e-2;
  Eigen::MatrixXd jacobian(r.size(), n);
  out.stop_reason = "the iteration limit";
  for (iteration = 1; iteration <= options.max_iterations; ++iteration) {
    // The columns are independent runs: evaluated side by side, reported in order.
    std::vector<Eigen::VectorXd> columns(n);
    tbb::parallel_for(0, n, [&](int j) {
      Eigen::VectorXd zj = z;
      zj(j) += options.step;
      columns[j] = residuals(to_x(zj));
    });
    for (int j = 0; j < n; ++j) {
      Eigen::VectorXd zj = z;
      zj(j) += options.step;
      report(zj, columns[j], "jacobian", false);
      jacobian.col(j) = (columns[j] - r) / options.step;
    }
    const Eigen::MatrixXd normal = jacobian.transpose() * jacobian;
    const Eigen::VectorXd gradient = jacobian.transpose() * r;
    bool accepted = false;
    double previous = objective;
    for (int attempt = 0; attempt < 8 && !accepted; ++attempt) {
      Eigen::MatrixXd damped = normal;
      for (int j = 0; j < n; ++j) damped(j, j) += lambda * std::max(normal(j, j), 1e-12);
      Eigen::VectorXd delta = damped.ldlt().solve(-gradient);
      // No step wider than the search needs: z beyond +-12 pins a parameter to a bound.
      const double longest = delta.cwiseAbs().maxCoeff();
      if (longest > 3) delta *= 3 / longest;
      const Eigen::VectorXd trial = z + delta;
      const Eigen::VectorXd rt = evaluate(trial, "trial", false);
      if (rt.squaredNorm() < objective) {
        z = trial;
        r = rt;
        objective = rt.squaredNorm();
        lambda = std::max(lambda / 3, 1e-7);
        accepted = true;
        if (options.on_evaluation) {
          // Marks the accepted trial in the history (no new evaluation).
          LeastSquaresEvaluation e;
          e.evaluation = out.evaluations;
          e.iteration = iteration;
          e.kind = "accepted";
          e.objective = objective;
          e.accepted = true;
          const Eigen::VectorXd x = to_x(z);
          e.x.assign(x.data(), x.data() + n);
          options.on_evaluation(e);
        }
      } else {
        lambda *= 4;
      }
    }
    if (!accepted) {
      out.stop_reason = "no step lowers the objective";
      break;
    }
    if ((previous - objective) < options.relative_tolerance * previous) {
      out.stop_reason = "the objective changes by less than the tolerance";
      break;
    }
  }
  out.iterations = std::min(iteration, options.max_iterations);
  // The covariance from the last Jacobian (at or next to the best point).
  out.covariance_z =
      (jacobian.transpose() * jacobian).completeOrthogonalDecomposition().pseudoInverse();
  out.z = z;
  out.x = to_x(z);
  out.residuals = r;
  out.objective = objective;
  return out;
}

}  // namespace divsim
