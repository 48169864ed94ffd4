#include <gtest/gtest.h>

#include <cmath>

#include "divsim/calibration/growth_curves.h"
#include "divsim/calibration/least_squares.h"

using namespace divsim;

TEST(least_squares_test, bounds_map_both_ways) {
  const Bounds b{0.002, 0.1};
  for (double x : {0.0021, 0.03, 0.0999}) EXPECT_NEAR(b.to_x(b.to_z(x)), x, 1e-12);
  EXPECT_NEAR(b.slope(0.0), 0.098 / 4, 1e-15);
}

TEST(least_squares_test, recovers_the_parameters_of_exact_data) {
  // y = a exp(-b t) sampled exactly: the minimum is at the truth with objective 0.
  const double a = 3.0, b = 0.4;
  auto residuals = [&](const Eigen::VectorXd& x) {
    Eigen::VectorXd r(12);
    for (int t = 0; t < 12; ++t) r(t) = x(0) * std::exp(-x(1) * t) - a * std::exp(-b * t);
    return r;
  };
  LeastSquaresOptions options;
  options.step = 1e-6;
  options.max_iterations = 200;
  options.relative_tolerance = 1e-14;
  int evaluations = 0;
  options.on_evaluation = [&](const LeastSquaresEvaluation&) { ++evaluations; };
  const auto fit = least_squares(residuals, {{0.1, 10}, {0.01, 2}}, Eigen::Vector2d(1, 1), options);
  EXPECT_NEAR(fit.x(0), a, 1e-5);
  EXPECT_NEAR(fit.x(1), b, 1e-5);
  EXPECT_LT(fit.objective, 1e-10);
  EXPECT_GE(evaluations, fit.evaluations);  // every run reported (and accepted trials marked)
}

TEST(least_squares_test, a_bound_holds_when_the_truth_lies_beyond_it) {
  auto residuals = [](const Eigen::VectorXd& x) {
    Eigen::VectorXd r(1);
    r(0) = x(0) - 5.0;
    return r;
  };
  LeastSquaresOptions options;
  options.step = 1e-6;
  const auto fit = least_squares(residuals, {{0, 2}}, Eigen::VectorXd::Constant(1, 1.0), options);
  EXPECT_LE(fit.x(0), 2.0);
  EXPECT_GT(fit.x(0), 1.9);
}

TEST(growth_curves_test, each_curve_recovers_a_curve_of_its_own_kind) {
  std::vector<std::pair<int, double>> logistic, bass;
  for (int y = 2005; y <= 2024; ++y) {
    logistic.emplace_back(y, 90 / (1 + std::exp(-0.15 * (y + 0.5 - 2016))));
    const double s = y + 0.5 - 1995, e = std::exp(-(0.004 + 0.2) * s);
    bass.emplace_back(y, 85 * (1 - e) / (1 + 0.2 / 0.004 * e));
  }
  const GrowthCurve l = fit_logistic(logistic);
  EXPECT_NEAR(l.parameters[0], 90, 1e-3);
  EXPECT_NEAR(l.parameters[1], 0.15, 1e-5);
  EXPECT_NEAR(l.parameters[2], 2016, 1e-3);
  const GrowthCurve b = fit_bass(bass);
  EXPECT_LT(b.objective, 1e-6);
  // Recovered, not merely fitted: it extrapolates like the truth.
  const double s2030 = 2030.5 - 1995, e2030 = std::exp(-(0.004 + 0.2) * s2030);
  EXPECT_NEAR(b(2030.5), 85 * (1 - e2030) / (1 + 0.2 / 0.004 * e2030), 0.05);
  EXPECT_NEAR(b(2015.5), bass[10].second, 1e-3);
}
