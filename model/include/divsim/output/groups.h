// The groups every report reads rates for: the world, the income groups, the areas and the sexes.
#pragma once

#include <string_view>

#include "divsim/world/strata.h"

namespace divsim {

struct ReportGroup {
  std::string_view key;    // in files: targets, CSV columns
  std::string_view label;  // in tables for people
  bool (*select)(int stratum);
};

inline constexpr ReportGroup kReportGroups[] = {
    {"world", "world", [](int) { return true; }},
    {"high_income", "high income", [](int s) { return stratum_key(s).income_group == 0; }},
    {"upper_middle_income", "upper-middle income",
     [](int s) { return stratum_key(s).income_group == 1; }},
    {"lower_middle_income", "lower-middle income",
     [](int s) { return stratum_key(s).income_group == 2; }},
    {"low_income", "low income", [](int s) { return stratum_key(s).income_group == 3; }},
    {"urban", "urban", [](int s) { return stratum_key(s).area == 0; }},
    {"rural", "rural", [](int s) { return stratum_key(s).area == 1; }},
    {"female", "women", [](int s) { return stratum_key(s).sex == 0; }},
    {"male", "men", [](int s) { return stratum_key(s).sex == 1; }},
};

}  // namespace divsim
