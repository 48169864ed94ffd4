// Fitting joint rates to marginal figures: reconcile the figures, then rake a logistic model.
#pragma once

#include <string>
#include <vector>

namespace divsim {

/** A figure to reproduce: the weighted mean rate over a set of cells. */
struct MarginTarget {
  std::string name;
  std::vector<int> cells;  // indices of the cells the figure covers
  double value = 0;        // fraction in (0, 1)
  double tolerance = 0;    // uncertainty of `value`, as a fraction, for reconciliation
};

/** `total` is the weighted mean of `parts`: total = sum(share * part). */
struct MarginIdentity {
  int total = 0;
  std::vector<std::pair<int, double>> parts;  // (target index, population share)
};

/**
 * The set of values closest to the given ones (least squares weighted by 1/tolerance^2) that
 * satisfies every identity exactly. Identities that already hold leave the values unchanged.
 */
std::vector<double> reconcile_margins(const std::vector<MarginTarget>& targets,
                                      const std::vector<MarginIdentity>& identities);

/** Per-cell rates that reproduce the targets, and how well they do. */
struct MarginFit {
  std::vector<double> rates;  // per cell, in [0, 1]
  int iterations = 0;
  double max_residual = 0;  // largest |fitted - target|, fraction
};

/**
 * Finds per-cell rates p = logistic(prior + sum of one offset per target covering the cell) whose
 * weighted means over each target's cells equal the target values, by Gauss-Newton with
 * minimum-norm steps (Eigen's complete orthogonal decomposition) and backtracking. Targets must be
 * consistent (see reconcile_margins); redundant ones are fine. Throws RuntimeFailure when no fit
 * within `tolerance` is found.
 */
MarginFit fit_margins(const std::vector<double>& weights, const std::vector<double>& prior_logits,
                      const std::vector<MarginTarget>& targets, double tolerance = 1e-10);

}  // namespace divsim
