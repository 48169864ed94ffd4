// The calibration's steps: the hindcast run, the fit, the out-of-sample yardsticks and the
// posterior sample. Every run is a pure function of its values and replicate, so the whole
// calibration is a pure function of its configuration.
#include "divsim/calibration/calibration.h"

#include <oneapi/tbb/parallel_for.h>

#include <atomic>
#include <mutex>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/number_text.h"
#include "divsim/core/random.h"
#include "divsim/sim/simulation.h"
#include "divsim/world/synthesis.h"
#include "scenario/toml_reader.h"

namespace divsim {

using detail::brief;
using detail::fixed;
using detail::TableReader;

CalibrationConfig load_calibration_config(const std::string& path) {
  CalibrationConfig c;
  c.file = path;
  c.text = detail::read_input_file(path, "a calibration file");
  toml::table root;
  try {
    root = toml::parse(c.text, path);
  } catch (const toml::parse_error& e) {
    throw InputErrors({InputError(detail::location_of(path, e.source()), "toml",
                                  "expected valid TOML, found " + std::string(e.description()))});
  }
  std::vector<InputError> errors;
  TableReader top(path, root, "", errors);
  const std::string folder = detail::fs::path(path).parent_path().string();
  auto resolve = [&](const std::string& relative) {
    const detail::fs::path p(relative);
    return (p.is_absolute() ? p : detail::fs::path(folder) / p).lexically_normal().string();
  };
  if (const toml::table* t = top.table("calibration")) {
    TableReader r(path, *t, "calibration", errors);
    if (auto f = r.existing_file("scenario")) c.scenario_file = *f;
    if (auto f = r.existing_file("targets")) c.targets_file = *f;
    if (auto f = r.string("calibrated", true)) c.calibrated_file = resolve(*f);
    if (auto f = r.string("posterior", true)) c.posterior_file = resolve(*f);
    if (auto f = r.string("report", true)) c.report_dir = resolve(*f);
    if (auto n = r.integer("agents", 1000, kMaxAgents, false)) c.agents = *n;
    if (auto y = r.integer("fit_until", 1900, 2200, false)) c.fit_until = static_cast<int>(*y);
    r.reject_unknown();
  } else {
    top.missing("calibration", "a [calibration] table with scenario, targets and outputs");
  }
  if (const toml::table* t = top.table("optimiser")) {
    TableReader r(path, *t, "optimiser", errors);
    if (auto n = r.integer("initial_design", 0, 10000, false))
      c.initial_design = static_cast<int>(*n);
    if (auto n = r.integer("starts", 1, 100, false)) c.starts = static_cast<int>(*n);
    if (auto n = r.integer("max_iterations", 0, 1000, false))
      c.max_iterations = static_cast<int>(*n);
    if (auto s = r.number("step", 1e-4, 2, false)) c.step = *s;
    r.reject_unknown();
  }
  if (const toml::table* t = top.table("posterior")) {
    TableReader r(path, *t, "posterior", errors);
    if (auto n = r.integer("rounds", 0, 20, false)) c.rounds = static_cast<int>(*n);
    if (auto n = r.integer("proposals", 2, 100000, false)) c.proposals = static_cast<int>(*n);
    if (auto n = r.integer("ensemble", 1, 100000, false)) c.ensemble = static_cast<int>(*n);
    r.reject_unknown();
  }
  const ParameterTable& table = ParameterTable::builtin();
  if (const toml::node* node = top.get("parameters")) {
    const toml::array* list = node->as_array();
    if (!list || list->empty() || !list->is_array_of_tables()) {
      errors.emplace_back(detail::location_of(path, node->source()), "parameters",
                          "expected [[parameters]] tables with name, min and max, found " +
                              detail::type_name(*node));
    } else {
      for (std::size_t k = 0; k < list->size(); ++k) {
        const toml::table& entry = *list->get(k)->as_table();
        const std::string key = "parameters[" + std::to_string(k) + "]";
        TableReader r(path, entry, key, errors);
        CalibratedParameter p;
        p.where = detail::location_of(path, entry.source());
        auto name = r.string("name", true);
        const ParameterSpec* spec = name ? table.find(*name) : nullptr;
        if (name && !spec) {
          r.error("name", "expected a parameter from the table (see divsim params), found " +
                              in_quotes(*name));
        }
        const double lo = spec ? spec->min : -1e300, hi = spec ? spec->max : 1e300;
        auto min = r.number("min", lo, hi, true);
        auto max = r.number("max", lo, hi, true);
        r.reject_unknown();
        if (!spec || !min || !max) continue;
        if (!(*min < *max)) {
          r.error("max", "expected more than min (" + format_number(*min) + "), found " +
                             format_number(*max));
          continue;
        }
        for (const auto& other : c.parameters) {
          if (other.name == *name)
            r.error("name", "expected each parameter once, found " + in_quotes(*name) + " again");
        }
        p.name = *name;
        p.min = *min;
        p.max = *max;
        c.parameters.push_back(p);
      }
    }
  } else {
    top.missing("parameters", "[[parameters]] tables naming what to fit");
  }
  top.reject_unknown();
  if (!errors.empty()) throw InputErrors(std::move(errors));
  return c;
}

Hindcast::Hindcast(const CalibrationConfig& config, std::vector<CalibrationTarget> targets)
    : scenario_(load_scenario(config.scenario_file)),
      parameters_(config.parameters),
      targets_(std::move(targets)) {
  if (!scenario_.parameter_files.empty()) {
    throw InputErrors({InputError({scenario_.file, 0, 0}, "parameters.from",
                                  "expected no parameter file in the hindcast a calibration fits "
                                  "(its values would carry one calibration into the next), "
                                  "found " +
                                      scenario_.parameter_files.front())});
  }
  if (config.agents > 0) scenario_.agents = config.agents;
  for (const auto& t : targets_) last_year_ = std::max(last_year_, t.year);
  std::vector<InputError> errors;
  for (const auto& t : targets_) {
    if (CivilDate{t.year, 7, 1} < scenario_.start) {
      errors.emplace_back(SourceLocation{config.targets_file, t.line, 0}, "year",
                          "expected a year the hindcast " + scenario_.file + " reaches (from " +
                              to_iso(scenario_.start) + "), found " + std::to_string(t.year));
    }
  }
  if (!errors.empty()) throw InputErrors(std::move(errors));
}

std::vector<double> Hindcast::run(const std::vector<double>& values, std::uint64_t replicate,
                                  int until, Trajectory* trajectory) const {
  Scenario s = scenario_;
  s.replicate = replicate;
  s.end = {until, 6, 30};  // the last record is 1 July of `until`
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    s.parameters.set(parameters_[k].name, values[k], parameters_[k].where, parameters_[k].name);
  }
  const WorldPlan plan = plan_world(s);
  Simulation sim(s, plan, s.agents, {s.seed, s.replicate});
  Trajectory t = sim.run(nullptr, nullptr);
  std::vector<double> out(targets_.size(), NAN);
  for (std::size_t k = 0; k < targets_.size(); ++k) {
    if (targets_[k].year > until) continue;
    const int record = mid_year_record(t, targets_[k].year);
    if (record >= 0) out[k] = target_value(targets_[k], t.records[record]);
  }
  if (trajectory) *trajectory = std::move(t);
  return out;
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/** Residuals (model - target) / sigma of the fitted targets up to `until`. */
Eigen::VectorXd scaled_residuals(const std::vector<CalibrationTarget>& targets,
                                 const std::vector<double>& model, int until) {
  std::vector<double> r;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    if (!targets[k].fitted() || targets[k].year > until) continue;
    r.push_back((model[k] - targets[k].value) / targets[k].sigma);
  }
  return Eigen::Map<Eigen::VectorXd>(r.data(), static_cast<Eigen::Index>(r.size()));
}

/** A standard normal draw from two of a counter's words (Box-Muller). */
double normal_draw(const RandomKey& key, std::uint64_t id, std::uint64_t step, int which) {
  const auto w = random_words(key, id, step, Purpose::calibration_proposal);
  const double u1 = open_unit(w[2 * (which % 2)]), u2 = open_unit(w[2 * (which % 2) + 1]);
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

}  // namespace

CalibrationResult calibrate(const CalibrationConfig& config, const CalibrationProgress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  CalibrationResult out;
  out.targets = load_targets(config.targets_file);
  Hindcast hindcast(config, out.targets);
  const Scenario& base = hindcast.scenario();
  out.fit_until = config.fit_until > 0 ? std::min(config.fit_until, hindcast.last_year())
                                       : hindcast.last_year();
  int fitted_count = 0;
  for (const auto& t : out.targets) fitted_count += t.fitted() && t.year <= out.fit_until;
  if (fitted_count == 0) {
    throw InputErrors({InputError(
        {config.targets_file, 0, 0}, "year",
        "expected targets with a sigma up to " + std::to_string(out.fit_until) + ", found none")});
  }

  const int n = static_cast<int>(config.parameters.size());
  std::vector<Bounds> bounds;
  Eigen::VectorXd start(n);
  for (int j = 0; j < n; ++j) {
    const auto& p = config.parameters[j];
    bounds.push_back({p.min, p.max});
    // The table's value, not a previous calibration's: a rerun does not depend on the last one.
    const double v = base.parameters.table().find(p.name)->default_value;
    start(j) = std::clamp(v, p.min + 1e-3 * (p.max - p.min), p.max - 1e-3 * (p.max - p.min));
    out.start.push_back(start(j));
  }

  // The fit: common random numbers (the scenario's replicate in every run).
  auto residuals = [&](const Eigen::VectorXd& x) {
    const std::vector<double> values(x.data(), x.data() + n);
    return scaled_residuals(out.targets, hindcast.run(values, base.replicate, out.fit_until),
                            out.fit_until);
  };

  std::vector<Eigen::VectorXd> starts{start};

  // A Latin hypercube over the ranges first: the objective has more than one basin, and the
  // local fit starts from the design's best point (the table's values are one of the points).
  const RandomKey design_key{base.seed, base.replicate};
  if (config.initial_design > 0) {
    const int m = config.initial_design;
    std::vector<Eigen::VectorXd> points(m + 1, start);
    for (int j = 0; j < n; ++j) {
      // A permutation of the m strata of parameter j, and a position within each.
      std::vector<std::pair<std::uint64_t, int>> order;
      for (int k = 0; k < m; ++k) {
        order.emplace_back(
            random_words(design_key, static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(j),
                         Purpose::calibration_design)[0],
            k);
      }
      std::sort(order.begin(), order.end());
      for (int k = 0; k < m; ++k) {
        const double u =
            (order[k].second + open_unit(random_words(design_key, static_cast<std::uint64_t>(k),
                                                      static_cast<std::uint64_t>(j),
                                                      Purpose::calibration_design)[1])) /
            m;
        points[k + 1](j) = bounds[j].min + u * (bounds[j].max - bounds[j].min);
      }
    }
    std::vector<double> objective(points.size());
    tbb::parallel_for(0, static_cast<int>(points.size()),
                      [&](int k) { objective[k] = residuals(points[k]).squaredNorm(); });
    std::vector<int> order(points.size());
    for (std::size_t k = 0; k < points.size(); ++k) {
      order[k] = static_cast<int>(k);
      LeastSquaresEvaluation e;
      e.kind = k == 0 ? "design (table values)" : "design";
      e.objective = objective[k];
      e.x.assign(points[k].data(), points[k].data() + n);
      out.design.push_back(e);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return objective[a] < objective[b]; });
    starts.clear();
    for (int k = 0; k < std::min<int>(config.starts, static_cast<int>(order.size())); ++k) {
      starts.push_back(points[order[k]]);
    }
    if (progress) {
      progress("design: " + std::to_string(points.size()) + " runs, best objective " +
               fixed(objective[order[0]], 3) + (order[0] == 0 ? " (the table's values)" : ""));
    }
  }
  LeastSquaresOptions options;
  options.max_iterations = config.max_iterations;
  options.step = config.step;
  options.on_evaluation = [&](const LeastSquaresEvaluation& reported) {
    // Numbered across the local fits: every run once (an accepted trial repeats its number).
    LeastSquaresEvaluation e = reported;
    if (e.kind != "accepted") ++out.local_runs;
    e.evaluation = out.local_runs;
    out.history.push_back(e);
    if (!progress || e.kind == "accepted") return;
    std::string line = "fit " + std::to_string(e.evaluation) + " (iteration " +
                       std::to_string(e.iteration) + ", " + e.kind + "): objective " +
                       fixed(e.objective, 3);
    for (int j = 0; j < n; ++j) line += "  " + config.parameters[j].name + "=" + brief(e.x[j]);
    progress(line);
  };
  // The local fit from each start (the design's best points), keeping the best result.
  for (std::size_t k = 0; k < starts.size(); ++k) {
    LeastSquaresResult fit = least_squares(residuals, bounds, starts[k], options);
    if (progress) {
      progress("local fit " + std::to_string(k + 1) + "/" + std::to_string(starts.size()) +
               ": objective " + fixed(fit.objective, 3) + " (stopped: " + fit.stop_reason + ")");
    }
    if (k == 0 || fit.objective < out.fit.objective) out.fit = std::move(fit);
  }
  const std::vector<double> best(out.fit.x.data(), out.fit.x.data() + n);
  out.fitted_values = hindcast.run(best, base.replicate, hindcast.last_year(), &out.trajectory);
  if (progress) {
    progress("fit: objective " + fixed(out.fit.objective, 3) + " over " +
             std::to_string(fitted_count) + " targets, the best of " +
             std::to_string(starts.size()) + " local fits; " + std::to_string(out.local_runs) +
             " runs in all");
  }

  // What the model cannot fit is discrepancy, not information: the targets' variances are scaled
  // by the fit's chi-square per degree of freedom (the Birge ratio squared) when it exceeds 1, in
  // the standard errors and in the posterior's likelihood alike.
  const int dof = fitted_count - n;
  out.variance_scale = dof > 0 ? std::max(1.0, out.fit.objective / dof) : 1.0;

  // The yardsticks: diffusion curves fitted to the world series over the same years.
  std::vector<std::pair<int, double>> world;
  for (const auto& t : out.targets) {
    if (t.indicator == "internet_use" && t.group == "world" && t.fitted() &&
        t.year <= out.fit_until) {
      world.emplace_back(t.year, t.value);
    }
  }
  std::sort(world.begin(), world.end());
  if (world.size() >= 4) {
    out.logistic = fit_logistic(world);
    out.bass = fit_bass(world);
  }

  // The posterior: ABC population Monte Carlo (Beaumont et al. 2009) with a Gaussian kernel on
  // the scaled residuals. Round 0 draws from the prior (uniform over the ranges); each later
  // round draws a particle of the last round by weight and moves it by a Gaussian of twice
  // their weighted covariance, truncated to the ranges; a proposal's weight is
  // kernel x prior / (the mixture's density). Every proposal runs with its own replicate, so the
  // runs' stochastic noise is part of the likelihood. The kernel exp(-chi2 / (2 s h)) uses the
  // targets' variances scaled by s (the fit's chi-square per degree of freedom) and widened by
  // h >= 1, the least widening that leaves an effective sample of a quarter of the proposals:
  // ABC's tolerance, set by the simulation budget. The ensemble is drawn from the round with
  // the narrowest kernel.
  if (config.rounds > 0 && out.fit_until >= hindcast.last_year()) {
    const RandomKey key{base.seed, base.replicate};
    const std::uint64_t first_replicate = base.replicate + 1;
    const int m = config.proposals;
    std::vector<Eigen::VectorXd> previous;  // the last round's particles
    std::vector<double> previous_weights;
    Eigen::MatrixXd kernel_cov;  // of the moves
    Eigen::MatrixXd kernel_lower;
    double kernel_log_det = 0;
    // Round 0's second component: the fit's Gaussian approximation in the parameters' units
    // (its covariance scaled like the standard errors, widened 1.5 times, no direction narrower
    // than 2% of its range).
    Eigen::MatrixXd fit_cov(n, n);
    double log_volume = 0;
    for (int i = 0; i < n; ++i) {
      log_volume += std::log(bounds[i].max - bounds[i].min);
      for (int j = 0; j < n; ++j) {
        fit_cov(i, j) = 2.25 * out.variance_scale * out.fit.covariance_z(i, j) *
                        bounds[i].slope(out.fit.z(i)) * bounds[j].slope(out.fit.z(j));
      }
    }
    for (int j = 0; j < n; ++j) {
      const double least = 0.02 * (bounds[j].max - bounds[j].min);
      fit_cov(j, j) = std::max(fit_cov(j, j), least * least);
    }
    const Eigen::MatrixXd fit_lower = Eigen::LLT<Eigen::MatrixXd>(fit_cov).matrixL();
    const double fit_log_det = 2 * fit_lower.diagonal().array().log().sum();
    for (int round = 0; round < config.rounds; ++round) {
      std::vector<PosteriorSample> samples(m);
      std::vector<Eigen::VectorXd> xs(m);
      std::vector<double> log_prior_over_proposal(m, 0.0);
      std::atomic<int> done{0};
      std::mutex progress_lock;
      // Proposals are independent runs (each its own replicate): side by side, in any order.
      tbb::parallel_for(0, m, [&](int k) {
        const auto uniform = [&](std::uint64_t counter, int word) {
          return open_unit(random_words(key, static_cast<std::uint64_t>(k),
                                        (static_cast<std::uint64_t>(round) << 40) + counter,
                                        Purpose::calibration_proposal)[word]);
        };
        // A Gaussian draw around `centre`, redrawn with the next counter until inside the ranges.
        const auto gaussian_inside = [&](const Eigen::VectorXd& centre,
                                         const Eigen::MatrixXd& lower) {
          Eigen::VectorXd draw(n);
          for (std::uint64_t attempt = 0;; ++attempt) {
            Eigen::VectorXd e(n);
            for (int j = 0; j < n; ++j) {
              e(j) = normal_draw(key, static_cast<std::uint64_t>(k),
                                 (static_cast<std::uint64_t>(round) << 40) + 64 + attempt * 64 +
                                     static_cast<std::uint64_t>(j / 2),
                                 j);
            }
            draw = centre + lower * e;
            bool inside = true;
            for (int j = 0; j < n; ++j) {
              inside = inside && draw(j) > bounds[j].min && draw(j) < bounds[j].max;
            }
            if (inside || attempt == 10000) return draw;
          }
        };
        Eigen::VectorXd x(n);
        if (round == 0) {
          // A defensive mixture: even proposals from the prior, odd ones near the fit.
          if (k % 2 == 0) {
            for (int j = 0; j < n; ++j) {
              x(j) = bounds[j].min + uniform(static_cast<std::uint64_t>(j / 4), j % 4) *
                                         (bounds[j].max - bounds[j].min);
            }
          } else {
            x = gaussian_inside(out.fit.x, fit_lower);
          }
          // prior / (0.5 prior + 0.5 Gaussian), the prior's density being 1 / volume.
          const Eigen::VectorXd d = fit_lower.triangularView<Eigen::Lower>().solve(x - out.fit.x);
          const double log_gaussian_times_volume =
              log_volume - 0.5 * n * std::log(2 * M_PI) - 0.5 * fit_log_det - 0.5 * d.squaredNorm();
          log_prior_over_proposal[k] =
              -std::log(0.5 + 0.5 * std::exp(std::min(log_gaussian_times_volume, 700.0)));
        } else {
          // A particle by weight, then a move inside the ranges.
          const double u = uniform(1u << 20, 0);
          std::size_t pick = 0;
          for (double c = previous_weights[0]; c < u && pick + 1 < previous.size();) {
            c += previous_weights[++pick];
          }
          x = gaussian_inside(previous[pick], kernel_lower);
          // The mixture's density at x (the uniform prior's is a constant: left out).
          double density = 0;
          for (std::size_t j = 0; j < previous.size(); ++j) {
            const Eigen::VectorXd d =
                kernel_lower.triangularView<Eigen::Lower>().solve(x - previous[j]);
            density += previous_weights[j] * std::exp(-0.5 * d.squaredNorm());
          }
          log_prior_over_proposal[k] = -std::log(density) + 0.5 * kernel_log_det;
        }
        PosteriorSample& s = samples[k];
        s.round = round;
        s.replicate = first_replicate + static_cast<std::uint64_t>(round * m + k);
        for (int j = 0; j < n; ++j) {
          s.values.push_back(std::clamp(x(j), bounds[j].min, bounds[j].max));
        }
        s.simulated = hindcast.run(s.values, s.replicate, hindcast.last_year());
        s.log_likelihood = -0.5 / out.variance_scale *
                           scaled_residuals(out.targets, s.simulated, out.fit_until).squaredNorm();
        xs[k] = x;
        if (progress) {
          const std::lock_guard<std::mutex> lock(progress_lock);
          progress("posterior round " + std::to_string(round + 1) + "/" +
                   std::to_string(config.rounds) + ", " + std::to_string(++done) + "/" +
                   std::to_string(m) + " proposals");
        }
      });
      auto weigh = [&](double widening) {
        std::vector<double> w(m);
        for (int k = 0; k < m; ++k) {
          w[k] = samples[k].log_likelihood / widening + log_prior_over_proposal[k];
        }
        const double top = *std::max_element(w.begin(), w.end());
        double sum = 0, sum_sq = 0;
        for (double& x : w) sum += (x = std::exp(x - top));
        for (double& x : w) {
          x /= sum;
          sum_sq += x * x;
        }
        return std::make_pair(w, 1 / sum_sq);
      };
      const double wanted = 0.25 * m;
      double widening = 1;
      if (weigh(1).second < wanted) {
        double lo = 1, hi = 2;
        while (weigh(hi).second < wanted && hi < 1e12) hi *= 2;
        for (int it = 0; it < 60 && hi > lo * (1 + 1e-9); ++it) {
          const double mid = std::sqrt(lo * hi);
          (weigh(mid).second < wanted ? lo : hi) = mid;
        }
        widening = hi;
      }
      const auto [weights, ess] = weigh(widening);
      for (int k = 0; k < m; ++k) samples[k].weight = weights[k];
      if (progress) {
        progress("posterior round " + std::to_string(round + 1) + ": effective sample size " +
                 fixed(ess, 1) + " of " + std::to_string(m) + ", kernel variance " +
                 fixed(widening, 2) + " times the targets' (scaled) variance");
      }
      // The next round's moves: twice the weighted covariance (Beaumont et al.), no direction
      // narrower than 1% of its range.
      Eigen::VectorXd mean = Eigen::VectorXd::Zero(n);
      for (int k = 0; k < m; ++k) mean += weights[k] * xs[k];
      kernel_cov = Eigen::MatrixXd::Zero(n, n);
      for (int k = 0; k < m; ++k) {
        const Eigen::VectorXd d = xs[k] - mean;
        kernel_cov += 2 * weights[k] * d * d.transpose();
      }
      for (int j = 0; j < n; ++j) {
        const double least = 0.01 * (bounds[j].max - bounds[j].min);
        kernel_cov(j, j) = std::max(kernel_cov(j, j), least * least);
      }
      kernel_lower = Eigen::LLT<Eigen::MatrixXd>(kernel_cov).matrixL();
      kernel_log_det = 2 * kernel_lower.diagonal().array().log().sum();
      previous = xs;
      previous_weights = weights;
      // The ensemble comes from the round whose kernel is narrowest (each round's weights are a
      // valid sample of the posterior at its own kernel).
      if (out.samples.empty() || widening <= out.kernel_widening) {
        out.kernel_widening = widening;
        out.effective_sample_size = ess;
        out.samples = std::move(samples);
      }
    }
    // Systematic resampling to an equally weighted ensemble (one uniform from the key).
    const double u = open_unit(random_words(key, 0, 1u << 20, Purpose::calibration_proposal)[0]);
    double cumulative = 0;
    std::size_t k = 0;
    for (int m = 0; m < config.ensemble; ++m) {
      const double point = (m + u) / config.ensemble;
      while (k + 1 < out.samples.size() && cumulative + out.samples[k].weight < point) {
        cumulative += out.samples[k].weight;
        ++k;
      }
      out.ensemble.push_back(static_cast<int>(k));
    }
  }
  out.seconds = seconds_since(t0);
  return out;
}

}  // namespace divsim
