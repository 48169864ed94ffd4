// Targets files and the model's values of their figures.
#include "divsim/calibration/targets.h"

#include "divsim/core/csv.h"
#include "divsim/output/groups.h"
#include "divsim/output/milestone_table.h"
#include "divsim/world/strata.h"

namespace divsim {
namespace {

struct IndicatorSpec {
  const char* key;
  Measure measure;
  Measure base;
};

constexpr IndicatorSpec kIndicators[] = {
    {"internet_use", Measure::internet_users, Measure::population},
    {"mobile_ownership_10plus", Measure::mobile_owners_10plus, Measure::population_10plus},
    {"coverage_2g_plus", Measure::covered_2g_plus, Measure::population},
    {"coverage_3g_plus", Measure::covered_3g_plus, Measure::population},
    {"coverage_4g_plus", Measure::covered_4g_plus, Measure::population},
    {"coverage_5g", Measure::covered_5g, Measure::population},
    {"basic_skills", Measure::basic_skills, Measure::population},
};

const IndicatorSpec* find_indicator(const std::string& key) {
  for (const auto& i : kIndicators) {
    if (key == i.key) return &i;
  }
  return nullptr;
}

const ReportGroup* find_group(const std::string& key) {
  for (const auto& g : kReportGroups) {
    if (key == g.key) return &g;
  }
  return nullptr;
}

}  // namespace

std::string known_target_indicators() {
  std::string out;
  for (const auto& i : kIndicators) out += (out.empty() ? "" : ", ") + std::string(i.key);
  return out;
}

std::string known_target_groups() {
  std::string out;
  for (const auto& g : kReportGroups) out += (out.empty() ? "" : ", ") + std::string(g.key);
  return out;
}

std::vector<CalibrationTarget> load_targets(const std::string& path) {
  std::vector<InputError> errors;
  std::vector<CalibrationTarget> out;
  try {
    const CsvTable csv = read_csv_file(path);
    const std::size_t c_indicator = csv.column("indicator"), c_group = csv.column("group"),
                      c_year = csv.column("year"), c_value = csv.column("value"),
                      c_sigma = csv.column("sigma"), c_source = csv.column("source");
    for (const auto& row : csv.rows) {
      try {
        CalibrationTarget t;
        t.line = row.line;
        t.indicator = row.fields[c_indicator];
        t.group = row.fields[c_group];
        t.source = row.fields[c_source];
        if (!find_indicator(t.indicator)) {
          throw InputError(
              {path, row.line, 0}, "indicator",
              "expected one of " + known_target_indicators() + ", found " + in_quotes(t.indicator));
        }
        if (!find_group(t.group)) {
          throw InputError(
              {path, row.line, 0}, "group",
              "expected one of " + known_target_groups() + ", found " + in_quotes(t.group));
        }
        const double year = csv_number(csv, row, c_year);
        if (year != static_cast<int>(year) || year < 1900 || year > 2200) {
          throw InputError({path, row.line, 0}, "year",
                           "expected a year in [1900, 2200], found " + row.fields[c_year]);
        }
        t.year = static_cast<int>(year);
        t.value = csv_number(csv, row, c_value);
        if (!(t.value >= 0 && t.value <= 100)) {
          throw InputError({path, row.line, 0}, "value",
                           "expected a percent in [0, 100], found " + row.fields[c_value]);
        }
        if (!row.fields[c_sigma].empty()) {
          t.sigma = csv_number(csv, row, c_sigma);
          if (!(t.sigma > 0)) {
            throw InputError({path, row.line, 0}, "sigma",
                             "expected a positive number of percentage points (or nothing for a "
                             "check), found " +
                                 row.fields[c_sigma]);
          }
        }
        out.push_back(std::move(t));
      } catch (const InputError& e) {
        errors.push_back(e);
      }
    }
  } catch (const InputError& e) {
    errors.push_back(e);
  }
  if (!errors.empty()) throw InputErrors(std::move(errors));
  if (out.empty()) {
    throw InputErrors({InputError({path, 0, 0}, "", "expected at least one target, found none")});
  }
  return out;
}

double target_value(const CalibrationTarget& target, const StratumCounts& counts) {
  const IndicatorSpec* i = find_indicator(target.indicator);
  const ReportGroup* g = find_group(target.group);
  return percent(counts, i->measure, i->base, g->select);
}

int mid_year_record(const Trajectory& trajectory, int year) {
  const CivilDate date{year, 7, 1};
  for (std::size_t r = 0; r < trajectory.dates.size(); ++r) {
    if (trajectory.dates[r] == date) return static_cast<int>(r);
  }
  return -1;
}

}  // namespace divsim
