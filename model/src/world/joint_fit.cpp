// Reconciliation (equality-constrained least squares) and logistic raking, with Eigen.
#include "divsim/world/joint_fit.h"

#include <Eigen/Dense>
#include <cmath>

#include "divsim/core/error.h"

namespace divsim {
namespace {

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

}  // namespace

std::vector<double> reconcile_margins(const std::vector<MarginTarget>& targets,
                                      const std::vector<MarginIdentity>& identities) {
  const int n = static_cast<int>(targets.size());
  const int m = static_cast<int>(identities.size());
  std::vector<double> out(n);
  for (int i = 0; i < n; ++i) out[i] = targets[i].value;
  if (m == 0) return out;

  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(m, n);
  for (int r = 0; r < m; ++r) {
    a(r, identities[r].total) += 1.0;
    for (auto [part, share] : identities[r].parts) a(r, part) -= share;
  }
  Eigen::VectorXd d(n), t(n);
  for (int i = 0; i < n; ++i) {
    d(i) = targets[i].value;
    t(i) = targets[i].tolerance * targets[i].tolerance;
  }
  // x = d - T A' (A T A')^+ A d : the closest consistent values in the T^-1 norm.
  const Eigen::MatrixXd at = t.asDiagonal() * a.transpose();
  const Eigen::MatrixXd gram = a * at;
  const Eigen::VectorXd lambda = gram.completeOrthogonalDecomposition().solve(a * d);
  const Eigen::VectorXd x = d - at * lambda;
  for (int i = 0; i < n; ++i) out[i] = x(i);
  return out;
}

MarginFit fit_margins(const std::vector<double>& weights, const std::vector<double>& prior_logits,
                      const std::vector<MarginTarget>& targets, double tolerance) {
  const int cells = static_cast<int>(weights.size());
  const int n = static_cast<int>(targets.size());
  std::vector<double> target_weight(n, 0.0);
  for (int t = 0; t < n; ++t) {
    for (int c : targets[t].cells) target_weight[t] += weights[c];
    if (!(target_weight[t] > 0)) {
      throw RuntimeFailure("start figure " + targets[t].name + " covers no population");
    }
    if (!(targets[t].value > 0 && targets[t].value < 1)) {
      throw RuntimeFailure("start figure " + targets[t].name +
                           " must lie strictly between 0 and 100 percent");
    }
  }

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(n);
  std::vector<double> logits(cells), rates(cells);
  auto evaluate = [&](const Eigen::VectorXd& b, Eigen::VectorXd& residual) {
    for (int c = 0; c < cells; ++c) logits[c] = prior_logits[c];
    for (int t = 0; t < n; ++t) {
      for (int c : targets[t].cells) logits[c] += b(t);
    }
    for (int c = 0; c < cells; ++c) rates[c] = logistic(logits[c]);
    residual.resize(n);
    for (int t = 0; t < n; ++t) {
      double sum = 0;
      for (int c : targets[t].cells) sum += weights[c] * rates[c];
      residual(t) = sum / target_weight[t] - targets[t].value;
    }
    return n > 0 ? residual.cwiseAbs().maxCoeff() : 0.0;  // no figures: the priors alone
  };

  Eigen::VectorXd residual;
  double worst = evaluate(beta, residual);
  MarginFit fit;
  std::vector<char> member(cells);
  for (fit.iterations = 0; fit.iterations < 200 && worst > tolerance; ++fit.iterations) {
    Eigen::MatrixXd jacobian = Eigen::MatrixXd::Zero(n, n);
    for (int s = 0; s < n; ++s) {
      std::fill(member.begin(), member.end(), 0);
      for (int c : targets[s].cells) member[c] = 1;
      for (int t = 0; t < n; ++t) {
        double sum = 0;
        for (int c : targets[t].cells) {
          if (member[c]) sum += weights[c] * rates[c] * (1 - rates[c]);
        }
        jacobian(t, s) = sum / target_weight[t];
      }
    }
    const Eigen::VectorXd step = jacobian.completeOrthogonalDecomposition().solve(-residual);
    // Where the prior puts rates near 0 or 1 the slope is tiny and a full Newton step would
    // overshoot to the other end: no offset moves more than kMaxStep log-odds at once.
    constexpr double kMaxStep = 4.0;
    const double longest = step.cwiseAbs().maxCoeff();
    double scale = longest > kMaxStep ? kMaxStep / longest : 1.0;
    Eigen::VectorXd trial_residual;
    bool improved = false;
    for (int halvings = 0; halvings < 40 && !improved; ++halvings) {
      evaluate(beta + scale * step, trial_residual);
      improved = trial_residual.norm() < residual.norm();
      if (!improved) scale *= 0.5;
    }
    if (!improved) break;  // stalled: reported below
    beta += scale * step;
    worst = evaluate(beta, residual);
  }
  fit.max_residual = worst;
  fit.rates = rates;
  if (!(worst <= tolerance)) {
    throw RuntimeFailure("start figures cannot be fitted together: a residual of " +
                         std::to_string(worst * 100) +
                         " points remains (are the figures contradictory?)");
  }
  return fit;
}

}  // namespace divsim
