#include <gtest/gtest.h>

#include <cmath>

#include "divsim/world/joint_fit.h"
#include "expect_error.h"

using namespace divsim;

TEST(joint_fit_test, consistent_figures_are_left_alone) {
  // world = 0.5 * a + 0.5 * b holds already.
  std::vector<MarginTarget> t = {
      {"world", {}, 0.6, 0.01}, {"a", {}, 0.5, 0.01}, {"b", {}, 0.7, 0.01}};
  const auto x = reconcile_margins(t, {{0, {{1, 0.5}, {2, 0.5}}}});
  EXPECT_NEAR(x[0], 0.6, 1e-15);
  EXPECT_NEAR(x[1], 0.5, 1e-15);
  EXPECT_NEAR(x[2], 0.7, 1e-15);
}

TEST(joint_fit_test, inconsistent_figures_move_by_their_tolerances) {
  // world 0.60 vs 0.5 * 0.5 + 0.5 * 0.8 = 0.65: residual r = -0.05. With equal tolerances the
  // weighted least-squares solution moves each value by a_i * r / (a'a), a = (1, -0.5, -0.5).
  std::vector<MarginTarget> t = {
      {"world", {}, 0.6, 0.01}, {"a", {}, 0.5, 0.01}, {"b", {}, 0.8, 0.01}};
  const auto x = reconcile_margins(t, {{0, {{1, 0.5}, {2, 0.5}}}});
  const double shift = -(-0.05) / 1.5;
  EXPECT_NEAR(x[0], 0.6 + shift, 1e-12);
  EXPECT_NEAR(x[1], 0.5 - 0.5 * shift, 1e-12);
  EXPECT_NEAR(x[2], 0.8 - 0.5 * shift, 1e-12);
  EXPECT_NEAR(x[0], 0.5 * x[1] + 0.5 * x[2], 1e-14);
  // A loose figure absorbs the difference: the tight ones barely move.
  t[0].tolerance = 1.0;
  const auto y = reconcile_margins(t, {{0, {{1, 0.5}, {2, 0.5}}}});
  EXPECT_NEAR(y[1], 0.5, 1e-4);
  EXPECT_NEAR(y[0], 0.65, 1e-4);
}

TEST(joint_fit_test, fit_reproduces_crossed_margins) {
  // 2 x 2 cells: rows (sex) and columns (area), unequal weights.
  const std::vector<double> w = {1, 2, 3, 4};
  const std::vector<double> prior(4, 0.0);
  std::vector<MarginTarget> t = {
      {"row0", {0, 1}, 0.3, 0}, {"row1", {2, 3}, 0.6, 0}, {"col0", {0, 2}, 0.4, 0}};
  const MarginFit fit = fit_margins(w, prior, t);
  auto mean = [&](std::vector<int> cells) {
    double s = 0, ws = 0;
    for (int c : cells) {
      s += w[c] * fit.rates[c];
      ws += w[c];
    }
    return s / ws;
  };
  EXPECT_NEAR(mean({0, 1}), 0.3, 1e-10);
  EXPECT_NEAR(mean({2, 3}), 0.6, 1e-10);
  EXPECT_NEAR(mean({0, 2}), 0.4, 1e-10);
  EXPECT_LE(fit.max_residual, 1e-10);
}

TEST(joint_fit_test, prior_that_already_fits_is_kept) {
  const std::vector<double> w = {1, 1};
  const std::vector<double> prior = {std::log(0.2 / 0.8), std::log(0.6 / 0.4)};
  const MarginFit fit = fit_margins(w, prior, {{"all", {0, 1}, 0.4, 0}});
  EXPECT_NEAR(fit.rates[0], 0.2, 1e-12);
  EXPECT_NEAR(fit.rates[1], 0.6, 1e-12);
  EXPECT_EQ(fit.iterations, 0);
}

TEST(joint_fit_test, redundant_but_consistent_figures_fit) {
  const std::vector<double> w = {1, 3};
  const MarginFit fit =
      fit_margins(w, {0, 0}, {{"a", {0}, 0.2, 0}, {"b", {1}, 0.6, 0}, {"all", {0, 1}, 0.5, 0}});
  EXPECT_NEAR(fit.rates[0], 0.2, 1e-10);
  EXPECT_NEAR(fit.rates[1], 0.6, 1e-10);
}

TEST(joint_fit_test, contradictory_figures_are_refused) {
  EXPECT_THROW(fit_margins({1, 1}, {0, 0}, {{"a", {0, 1}, 0.3, 0}, {"b", {0, 1}, 0.5, 0}}),
               RuntimeFailure);
  EXPECT_THROW_MSG(fit_margins({1}, {0}, {{"x", {0}, 1.0, 0}}), RuntimeFailure,
                   "start figure x must lie strictly between 0 and 100 percent");
}
