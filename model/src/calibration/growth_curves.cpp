// Logistic and Bass curves by bounded least squares, from a small grid of starting points.
#include "divsim/calibration/growth_curves.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "divsim/calibration/least_squares.h"

namespace divsim {
namespace {

double logistic_curve(const std::vector<double>& p, double t) {
  return p[0] / (1 + std::exp(-p[1] * (t - p[2])));
}

double bass_curve(const std::vector<double>& p, double t) {
  const double m = p[0], innovation = p[1], imitation = p[2], s = std::max(0.0, t - p[3]);
  const double e = std::exp(-(innovation + imitation) * s);
  return m * (1 - e) / (1 + imitation / innovation * e);
}

GrowthCurve fit_curve(const std::string& name, const std::vector<std::string>& names,
                      double (*curve)(const std::vector<double>&, double),
                      const std::vector<Bounds>& bounds,
                      const std::vector<std::vector<double>>& starts,
                      const std::vector<std::pair<int, double>>& points) {
  if (points.size() < names.size()) {
    throw std::invalid_argument("a " + name + " curve needs at least " +
                                std::to_string(names.size()) + " points");
  }
  auto residuals = [&](const Eigen::VectorXd& x) {
    const std::vector<double> p(x.data(), x.data() + x.size());
    Eigen::VectorXd r(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
      r(static_cast<Eigen::Index>(i)) = curve(p, points[i].first + 0.5) - points[i].second;
    }
    return r;
  };
  LeastSquaresOptions options;
  options.max_iterations = 300;
  options.step = 1e-6;
  options.relative_tolerance = 1e-12;
  GrowthCurve best{name, names, {}, INFINITY};
  for (const auto& start : starts) {
    const Eigen::VectorXd x0 = Eigen::Map<const Eigen::VectorXd>(start.data(), start.size());
    const LeastSquaresResult fit = least_squares(residuals, bounds, x0, options);
    if (fit.objective < best.objective) {
      best.objective = fit.objective;
      best.parameters.assign(fit.x.data(), fit.x.data() + fit.x.size());
    }
  }
  return best;
}

}  // namespace

double GrowthCurve::operator()(double year) const {
  return name == "logistic" ? logistic_curve(parameters, year) : bass_curve(parameters, year);
}

GrowthCurve fit_logistic(const std::vector<std::pair<int, double>>& points) {
  double top = 0;
  for (const auto& [year, value] : points) top = std::max(top, value);
  const double first = points.front().first;
  const std::vector<Bounds> bounds = {{top, 100}, {0.005, 1.0}, {first - 40, first + 80}};
  std::vector<std::vector<double>> starts;
  for (double k : {top + 0.5 * (100 - top), 99.0}) {
    for (double r : {0.08, 0.15, 0.3}) {
      for (double t0 : {first + 5, first + 15, first + 30}) starts.push_back({k, r, t0});
    }
  }
  GrowthCurve c = fit_curve("logistic", {"ceiling (percent)", "rate (per year)", "midpoint (year)"},
                            logistic_curve, bounds, starts, points);
  return c;
}

GrowthCurve fit_bass(const std::vector<std::pair<int, double>>& points) {
  double top = 0;
  for (const auto& [year, value] : points) top = std::max(top, value);
  const double first = points.front().first;
  const std::vector<Bounds> bounds = {{top, 100}, {1e-4, 0.2}, {0.005, 1.5}, {first - 60, first}};
  std::vector<std::vector<double>> starts;
  for (double m : {top + 0.5 * (100 - top), 99.0}) {
    for (double p : {0.002, 0.01}) {
      for (double q : {0.1, 0.3}) {
        for (double tau : {first - 20, first - 8}) starts.push_back({m, p, q, tau});
      }
    }
  }
  return fit_curve(
      "bass",
      {"potential (percent)", "innovation (per year)", "imitation (per year)", "origin (year)"},
      bass_curve, bounds, starts, points);
}

}  // namespace divsim
