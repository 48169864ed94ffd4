// What a calibration writes: the calibrated parameter file, the ensemble and the report's files.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/number_text.h"
#include "divsim/calibration/calibration.h"
#include "divsim/core/sha256.h"
#include "divsim/core/version.h"

namespace divsim {
namespace {

using detail::brief;
using detail::exact;
using detail::fixed;

std::string role(const CalibrationTarget& t, int fit_until) {
  if (!t.fitted()) return "check";
  return t.year <= fit_until ? "fitted" : "held_out";
}

/** Errors of a set of (model, target) pairs: root mean square, mean absolute, largest. */
struct Errors {
  double rmse = NAN, mae = NAN, max = NAN;
  int count = 0;
};

Errors errors_of(const std::vector<std::pair<double, double>>& pairs) {
  Errors e;
  double sq = 0, abs = 0, top = 0;
  for (const auto& [model, target] : pairs) {
    if (std::isnan(model)) continue;
    const double d = model - target;
    sq += d * d;
    abs += std::abs(d);
    top = std::max(top, std::abs(d));
    ++e.count;
  }
  if (e.count > 0) {
    e.rmse = std::sqrt(sq / e.count);
    e.mae = abs / e.count;
    e.max = top;
  }
  return e;
}

bool is_world_use(const CalibrationTarget& t) {
  return t.indicator == "internet_use" && t.group == "world";
}

std::string provenance_lines(const CalibrationConfig& config, const CalibrationResult& r,
                             const std::string& command_line, const std::string& prefix) {
  std::string out;
  auto line = [&](const std::string& k, const std::string& v) {
    out += prefix + k + " = \"" + v + "\"\n";
  };
  line("command", command_line);
  line("engine_version", engine_version());
  line("git_commit", git_commit());
  line("config", config.file);
  line("config_sha256", sha256_hex(config.text));
  line("scenario", config.scenario_file);
  line("scenario_sha256", file_sha256(config.scenario_file));
  line("targets", config.targets_file);
  line("targets_sha256", file_sha256(config.targets_file));
  line("parameter_table_sha256", sha256_hex(ParameterTable::builtin().text()));
  line("fit_until", std::to_string(r.fit_until));
  line("objective", fixed(r.fit.objective, 6));
  line("runs", std::to_string(r.design.size() + r.local_runs));
  line("stopped", r.fit.stop_reason);
  return out;
}

}  // namespace

std::string calibrated_file_text(const CalibrationConfig& config, const CalibrationResult& r,
                                 const std::string& command_line) {
  std::string out =
      "# Calibrated parameters, written by divsim calibrate: do not edit by hand (rerun it; see\n"
      "# docs/calibration.md). Scenarios read it with [parameters] from = \"...\"; the\n"
      "# [calibration] table records how it was made.\n\n[calibration]\n";
  out += provenance_lines(config, r, command_line, "");
  out += "\n[parameters]\n";
  for (std::size_t j = 0; j < config.parameters.size(); ++j) {
    const double se = std::sqrt(std::max(0.0, r.fit.covariance_z(j, j) * r.variance_scale)) *
                      Bounds{config.parameters[j].min, config.parameters[j].max}.slope(r.fit.z(j));
    out += config.parameters[j].name + " = " + exact(r.fit.x(j)) + "  # standard error " +
           brief(se) + "\n";
  }
  return out;
}

std::string posterior_file_text(const CalibrationConfig& config, const CalibrationResult& r) {
  std::ostringstream out;
  out << "# Parameter sets consistent with the calibration targets: an equally weighted ensemble\n"
         "# resampled from the round of the posterior sampler with the narrowest kernel "
         "(docs/calibration.md).\n"
         "# A scenario uses draw k with [parameters] from = \"...posterior.csv\", draw = k.\n";
  std::istringstream prov(provenance_lines(config, r, "divsim calibrate " + config.file, "# "));
  for (std::string line; std::getline(prov, line);) out << line << "\n";
  out << "# effective sample size of that round: " << fixed(r.effective_sample_size, 1) << " of "
      << r.samples.size() << "; ABC kernel variance " << fixed(r.kernel_widening, 3)
      << " times the targets' scaled variance\n";
  out << "draw";
  for (const auto& p : config.parameters) out << "," << p.name;
  out << ",replicate\n";
  for (std::size_t m = 0; m < r.ensemble.size(); ++m) {
    const PosteriorSample& s = r.samples[r.ensemble[m]];
    out << m;
    for (double v : s.values) out << "," << exact(v);
    out << "," << s.replicate << "\n";
  }
  return out.str();
}

std::vector<std::pair<std::string, std::string>> report_files(const CalibrationConfig& config,
                                                              const CalibrationResult& r,
                                                              const std::string& command_line) {
  std::vector<std::pair<std::string, std::string>> files;
  const auto& targets = r.targets;
  const int n = static_cast<int>(config.parameters.size());
  const bool curves = !r.logistic.parameters.empty();

  std::ostringstream fit;
  fit << "indicator,group,year,target,sigma,role,divsim,residual,scaled_residual,logistic,bass\n";
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const auto& t = targets[k];
    const double m = r.fitted_values[k];
    fit << t.indicator << "," << t.group << "," << t.year << "," << t.value << ","
        << (t.fitted() ? fixed(t.sigma, 2) : "") << "," << role(t, r.fit_until) << ","
        << fixed(m, 4) << "," << fixed(m - t.value, 4) << ","
        << (t.fitted() ? fixed((m - t.value) / t.sigma, 4) : "") << ","
        << (curves && is_world_use(t) ? fixed(r.logistic(t.year + 0.5), 4) : "") << ","
        << (curves && is_world_use(t) ? fixed(r.bass(t.year + 0.5), 4) : "") << "\n";
  }
  files.emplace_back("fit.csv", fit.str());

  std::ostringstream history;
  history << "evaluation,iteration,kind,objective";
  for (const auto& p : config.parameters) history << "," << p.name;
  history << "\n";
  // The design's runs first, then the local fit's, numbered on.
  const int offset = static_cast<int>(r.design.size());
  for (std::size_t k = 0; k < r.design.size(); ++k) {
    history << k + 1 << ",-1,design," << fixed(r.design[k].objective, 6);
    for (double v : r.design[k].x) history << "," << exact(v);
    history << "\n";
  }
  for (const auto& e : r.history) {
    history << e.evaluation + offset << "," << e.iteration << "," << e.kind << ","
            << fixed(e.objective, 6);
    for (double v : e.x) history << "," << exact(v);
    history << "\n";
  }
  files.emplace_back("objective.csv", history.str());

  std::ostringstream params;
  params << "name,table,fitted,standard_error,min,max\n";
  std::vector<double> se(n);
  for (int j = 0; j < n; ++j) {
    const auto& p = config.parameters[j];
    se[j] = std::sqrt(std::max(0.0, r.fit.covariance_z(j, j) * r.variance_scale)) *
            Bounds{p.min, p.max}.slope(r.fit.z(j));
    params << p.name << "," << exact(r.start[j]) << "," << exact(r.fit.x(j)) << "," << exact(se[j])
           << "," << exact(p.min) << "," << exact(p.max) << "\n";
  }
  files.emplace_back("parameters.csv", params.str());

  std::ostringstream trajectory;
  trajectory << "year,group,internet_use,mobile_ownership_10plus\n";
  for (int year = r.trajectory.dates.front().year; year <= r.trajectory.dates.back().year; ++year) {
    const int record = mid_year_record(r.trajectory, year);
    if (record < 0) continue;
    for (const char* group : {"world", "high_income", "upper_middle_income", "lower_middle_income",
                              "low_income", "urban", "rural", "female", "male"}) {
      CalibrationTarget use, own;
      use.indicator = "internet_use";
      own.indicator = "mobile_ownership_10plus";
      use.group = own.group = group;
      trajectory << year << "," << group << ","
                 << fixed(target_value(use, r.trajectory.records[record]), 4) << ","
                 << fixed(target_value(own, r.trajectory.records[record]), 4) << "\n";
    }
  }
  files.emplace_back("trajectory.csv", trajectory.str());

  if (!r.samples.empty()) {
    std::ostringstream samples;
    samples << "sample,round,replicate,weight,log_likelihood,in_ensemble";
    for (const auto& p : config.parameters) samples << "," << p.name;
    for (const auto& t : targets) {
      samples << "," << t.indicator << ":" << t.group << ":" << t.year;
    }
    samples << "\n";
    for (std::size_t k = 0; k < r.samples.size(); ++k) {
      const auto& s = r.samples[k];
      const auto copies = std::count(r.ensemble.begin(), r.ensemble.end(), static_cast<int>(k));
      samples << k << "," << s.round << "," << s.replicate << "," << exact(s.weight) << ","
              << fixed(s.log_likelihood, 4) << "," << copies;
      for (double v : s.values) samples << "," << exact(v);
      for (double v : s.simulated) samples << "," << fixed(v, 4);
      samples << "\n";
    }
    files.emplace_back("posterior_samples.csv", samples.str());
  }

  // The report for people.
  std::vector<std::pair<double, double>> world_in, world_out, groups_in, groups_out;
  std::vector<std::pair<double, double>> logistic_in, logistic_out, bass_in, bass_out;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const auto& t = targets[k];
    if (!t.fitted()) continue;
    const bool in = t.year <= r.fit_until;
    const std::pair<double, double> p{r.fitted_values[k], t.value};
    if (is_world_use(t)) {
      (in ? world_in : world_out).push_back(p);
      if (curves) {
        (in ? logistic_in : logistic_out).emplace_back(r.logistic(t.year + 0.5), t.value);
        (in ? bass_in : bass_out).emplace_back(r.bass(t.year + 0.5), t.value);
      }
    } else {
      (in ? groups_in : groups_out).push_back(p);
    }
  }
  std::ostringstream md;
  md << "# Calibration report\n\n";
  md << "Written by `" << command_line << "` (divsim " << engine_version() << ", commit "
     << git_commit() << ") in " << fixed(r.seconds / 60, 1) << " minutes.\n\n";
  md << "- hindcast: `" << config.scenario_file << "`";
  md << "\n- targets: `" << config.targets_file << "` (" << targets.size() << " rows)\n";
  md << "- fitted: the targets with a sigma up to " << r.fit_until
     << (r.fit_until < r.targets.back().year || !world_out.empty() ? "; later years are held out"
                                                                   : "")
     << "\n";
  md << "- objective (sum of squared scaled residuals): " << fixed(r.fit.objective, 3) << " over "
     << r.fit.residuals.size() << " targets; the best of " << config.starts << " local fits ("
     << r.fit.iterations << " iterations, stopped: " << r.fit.stop_reason << "), " << r.local_runs
     << " runs in all after a design of " << r.design.size()
     << " (a Latin hypercube over the ranges and the table's values)\n";
  md << "- chi-square per degree of freedom: " << fixed(r.variance_scale, 2)
     << " (standard errors and the posterior's likelihood scale the targets' variances by it)\n\n";
  md << "![fit](fit.png)\n\n";
  md << "## Parameters\n\n| parameter | table | fitted | standard error | range |\n"
        "|---|---:|---:|---:|---|\n";
  for (int j = 0; j < n; ++j) {
    const auto& p = config.parameters[j];
    md << "| `" << p.name << "` | " << brief(r.start[j]) << " | " << brief(r.fit.x(j)) << " | "
       << brief(se[j]) << " | [" << brief(p.min) << ", " << brief(p.max) << "] |\n";
  }
  md << "\n## Targets and fitted values (percent)\n\n"
        "| indicator | group | year | target | sigma | role | divsim | residual |\n"
        "|---|---|---:|---:|---:|---|---:|---:|\n";
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const auto& t = targets[k];
    md << "| " << t.indicator << " | " << t.group << " | " << t.year << " | " << t.value << " | "
       << (t.fitted() ? fixed(t.sigma, 1) : "") << " | " << role(t, r.fit_until) << " | "
       << fixed(r.fitted_values[k], 2) << " | " << fixed(r.fitted_values[k] - t.value, 2) << " |\n";
  }
  auto row = [&](const char* name, const Errors& in, const Errors& out) {
    md << "| " << name << " | " << fixed(in.rmse, 2) << " | " << fixed(out.rmse, 2) << " | "
       << fixed(out.mae, 2) << " | " << fixed(out.max, 2) << " |\n";
  };
  md << "\n## Errors (percentage points)\n\n"
        "| model | RMSE fitted years | RMSE held out | MAE held out | largest held out |\n"
        "|---|---:|---:|---:|---:|\n";
  row("divsim, world series", errors_of(world_in), errors_of(world_out));
  if (curves) {
    row("logistic curve, world series", errors_of(logistic_in), errors_of(logistic_out));
    row("Bass curve, world series", errors_of(bass_in), errors_of(bass_out));
  }
  row("divsim, group figures", errors_of(groups_in), errors_of(groups_out));
  if (curves) {
    md << "\nCurves fitted to the world series up to " << r.fit_until << ": logistic";
    for (std::size_t j = 0; j < r.logistic.parameters.size(); ++j) {
      md << (j ? ", " : " (") << r.logistic.parameter_names[j] << " "
         << fixed(r.logistic.parameters[j], 4);
    }
    md << "); Bass";
    for (std::size_t j = 0; j < r.bass.parameters.size(); ++j) {
      md << (j ? ", " : " (") << r.bass.parameter_names[j] << " " << fixed(r.bass.parameters[j], 4);
    }
    md << ").\n";
  }
  if (!r.samples.empty()) {
    md << "\n## Posterior\n\n"
       << config.rounds << " rounds of " << config.proposals
       << " proposals (each run with its own replicate); effective sample size of the round with "
          "the narrowest kernel (the one the ensemble is drawn from) "
       << fixed(r.effective_sample_size, 1) << "; ABC kernel variance "
       << fixed(r.kernel_widening, 2)
       << " times the targets' scaled variance (1: the targets' own uncertainty; more: widened "
          "until a quarter of the proposals carry weight); ensemble of "
       << r.ensemble.size() << " parameter sets in `" << config.posterior_file << "`.\n\n"
       << "| parameter | mean | sd | 5% | 50% | 95% |\n|---|---:|---:|---:|---:|---:|\n";
    for (int j = 0; j < n; ++j) {
      std::vector<double> v;
      for (int k : r.ensemble) v.push_back(r.samples[k].values[j]);
      std::sort(v.begin(), v.end());
      double mean = 0, sq = 0;
      for (double x : v) mean += x / v.size();
      for (double x : v) sq += (x - mean) * (x - mean) / v.size();
      auto q = [&](double p) { return v[static_cast<std::size_t>(p * (v.size() - 1) + 0.5)]; };
      md << "| `" << config.parameters[j].name << "` | " << brief(mean) << " | "
         << brief(std::sqrt(sq)) << " | " << brief(q(0.05)) << " | " << brief(q(0.5)) << " | "
         << brief(q(0.95)) << " |\n";
    }
  }
  files.emplace_back("report.md", md.str());
  return files;
}

}  // namespace divsim
