// Regions of the synthetic world (income groups by default, down to countries) and their people.
#pragma once

#include <string>
#include <vector>

#include "divsim/scenario/scenario.h"

namespace divsim {

/** One region at the start date. */
struct Region {
  std::string name;
  int income_group = 0;
  double population = 0;         // persons
  double population_10plus = 0;  // persons
  double urban_share = 0;        // fraction
  /** Population by year from the population file (persons), years ascending. */
  std::vector<std::pair<int, double>> projection;
  /** Population aged 10 and over by year (persons), the same years. */
  std::vector<std::pair<int, double>> projection_10plus;
};

/**
 * Reads the scenario's regions file (`region,income_group[,urban_share]`) and takes each region's
 * population for the start year from the population file (`group,year,population_millions,
 * aged_10_plus_millions`). Errors name the file, line and column.
 */
std::vector<Region> load_regions(const Scenario& scenario);

}  // namespace divsim
