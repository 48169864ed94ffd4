// Two classic diffusion curves fitted to a series, the yardsticks of the out-of-sample test.
#pragma once

#include <string>
#include <vector>

namespace divsim {

/** A fitted curve: its name, parameters and value by year. */
struct GrowthCurve {
  std::string name;  // logistic or bass
  std::vector<std::string> parameter_names;
  std::vector<double> parameters;
  double objective = 0;  // sum of squared errors on the fitted years (points^2)

  double operator()(double year) const;
};

/**
 * Least-squares fits of a logistic curve K / (1 + exp(-r (t - t0))) and of a Bass curve
 * m F(t - tau), F(s) = (1 - e^{-(p+q)s}) / (1 + (q/p) e^{-(p+q)s}), to (year, percent) points.
 * Each tries several starting points and keeps the best.
 */
GrowthCurve fit_logistic(const std::vector<std::pair<int, double>>& points);
GrowthCurve fit_bass(const std::vector<std::pair<int, double>>& points);

}  // namespace divsim
