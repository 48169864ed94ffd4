// Calibration: fit the parameters marked calibrated to the historical record, test the fit out
// of sample, and sample the parameter sets consistent with the record (docs/calibration.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "divsim/calibration/growth_curves.h"
#include "divsim/calibration/least_squares.h"
#include "divsim/calibration/targets.h"
#include "divsim/scenario/scenario.h"

namespace divsim {

/** A parameter the calibration fits, with the range it may take (a uniform prior). */
struct CalibratedParameter {
  std::string name;
  double min = 0;
  double max = 0;
  SourceLocation where;
};

/** A calibration configuration file (calibration/calibrate.toml), checked key by key. */
struct CalibrationConfig {
  std::string file;
  std::string text;
  std::string scenario_file;  // the hindcast scenario
  std::string targets_file;
  std::string calibrated_file;  // the calibrated parameter file the shipped scenarios read
  std::string posterior_file;   // the parameter ensemble
  std::string report_dir;
  std::int64_t agents = 0;  // 0: the scenario's
  int fit_until = 0;        // 0: every target
  int initial_design = 0;   // Latin hypercube points before the local fit (0: none)
  int starts = 1;           // local fits, from the design's best points
  int max_iterations = 20;
  double step = 0.1;
  int rounds = 2;       // of the posterior sampler
  int proposals = 100;  // per round
  int ensemble = 100;   // parameter sets kept
  std::vector<CalibratedParameter> parameters;
};

CalibrationConfig load_calibration_config(const std::string& path);

/** The hindcast: the scenario run with given values of the calibrated parameters. */
class Hindcast {
 public:
  Hindcast(const CalibrationConfig& config, std::vector<CalibrationTarget> targets);

  const Scenario& scenario() const noexcept { return scenario_; }
  const std::vector<CalibrationTarget>& targets() const noexcept { return targets_; }
  int last_year() const noexcept { return last_year_; }

  /**
   * The model's value (percent) of every target of a year up to `until`, the others NaN, from a
   * run with `values` and `replicate` (the scenario's replicate: common random numbers).
   */
  std::vector<double> run(const std::vector<double>& values, std::uint64_t replicate, int until,
                          Trajectory* trajectory = nullptr) const;

 private:
  Scenario scenario_;
  std::vector<CalibratedParameter> parameters_;
  std::vector<CalibrationTarget> targets_;
  int last_year_ = 0;
};

/** A parameter set the posterior sampler proposed, and what the record makes of it. */
struct PosteriorSample {
  int round = 0;
  std::uint64_t replicate = 0;
  std::vector<double> values;
  double log_likelihood = 0;
  double weight = 0;              // normalised within its round
  std::vector<double> simulated;  // the targets' model values
};

struct CalibrationResult {
  std::vector<CalibrationTarget> targets;
  int fit_until = 0;
  std::vector<double> start;                   // the table's values
  std::vector<LeastSquaresEvaluation> design;  // the Latin hypercube's runs (the table's first)
  LeastSquaresResult fit;
  /** Chi-square per degree of freedom of the fit, at least 1: scales the targets' variances. */
  double variance_scale = 1;
  std::vector<LeastSquaresEvaluation> history;  // every local fit's runs, numbered on
  int local_runs = 0;
  std::vector<double> fitted_values;     // every target, from the final run
  Trajectory trajectory;                 // the final run
  GrowthCurve logistic, bass;            // fitted to the world series up to fit_until
  std::vector<PosteriorSample> samples;  // the round with the narrowest kernel
  std::vector<int> ensemble;             // indices into samples, resampled by weight
  double effective_sample_size = 0;
  /** The ABC kernel's variance over the targets' (scaled) variance in that round (>= 1). */
  double kernel_widening = 1;
  double seconds = 0;
};

/** Progress: a line for people (an evaluation, a round of the sampler). */
using CalibrationProgress = std::function<void(const std::string& line)>;

/**
 * Fits, evaluates out of sample when fit_until is before the last target, and (with rounds > 0
 * and no held-out years) samples the posterior. Pure function of the configuration.
 */
CalibrationResult calibrate(const CalibrationConfig& config, const CalibrationProgress& progress);

/** Texts the calibration writes (the files are written atomically by the caller). */
std::string calibrated_file_text(const CalibrationConfig& config, const CalibrationResult& r,
                                 const std::string& command_line);
std::string posterior_file_text(const CalibrationConfig& config, const CalibrationResult& r);
/** The report's files: name within the report folder, and text. */
std::vector<std::pair<std::string, std::string>> report_files(const CalibrationConfig& config,
                                                              const CalibrationResult& r,
                                                              const std::string& command_line);

}  // namespace divsim
