// Calibration targets: observed figures by indicator, group and year, and the model's values.
#pragma once

#include <string>
#include <vector>

#include "divsim/output/tally.h"
#include "divsim/sim/simulation.h"

namespace divsim {

/** One row of a targets file (see calibration/calibration_targets.csv). */
struct CalibrationTarget {
  std::string indicator;  // internet_use, mobile_ownership_10plus, coverage_3g_plus, ...
  std::string group;      // world, an income group key, urban, rural, female, male
  int year = 0;           // read on 1 July
  double value = 0;       // percent
  double sigma = 0;       // percentage points; 0: a check, not fitted
  std::string source;
  int line = 0;

  bool fitted() const { return sigma > 0; }
  std::string label() const { return indicator + " " + group + " " + std::to_string(year); }
};

/** The indicators and groups a target may name, for messages. */
std::string known_target_indicators();
std::string known_target_groups();

/**
 * Reads `indicator,group,year,value,unit,sigma,...` rows. Throws InputErrors naming the file, line
 * and column for an unknown indicator or group, a value outside [0, 100] or a negative sigma.
 */
std::vector<CalibrationTarget> load_targets(const std::string& path);

/** The model's value of a target (percent) in a record of counts. */
double target_value(const CalibrationTarget& target, const StratumCounts& counts);

/** The record of 1 July of `year` in a trajectory, or -1 when the run does not reach it. */
int mid_year_record(const Trajectory& trajectory, int year);

}  // namespace divsim
