// Regions and their start-year populations, from the data files a scenario names.
#include "divsim/world/region_table.h"

#include <algorithm>

#include "divsim/core/csv.h"
#include "divsim/world/strata.h"

namespace divsim {

std::vector<Region> load_regions(const Scenario& scenario) {
  const CsvTable regions = read_csv_file(scenario.regions_file);
  const CsvTable population = read_csv_file(scenario.population_file);
  const std::size_t c_region = regions.column("region"), c_group = regions.column("income_group");
  std::size_t c_urban = regions.header.size();
  for (std::size_t i = 0; i < regions.header.size(); ++i) {
    if (regions.header[i] == "urban_share") c_urban = i;
  }
  const std::size_t c_name = population.column("group"), c_year = population.column("year"),
                    c_pop = population.column("population_millions"),
                    c_pop10 = population.column("aged_10_plus_millions");

  std::vector<Region> out;
  for (const auto& row : regions.rows) {
    Region region;
    region.name = row.fields[c_region];
    region.income_group = income_group_index(row.fields[c_group]);
    if (region.income_group < 0) {
      throw InputError({regions.file, row.line, 0}, "income_group",
                       "expected high, upper_middle, lower_middle or low, found " +
                           in_quotes(row.fields[c_group]));
    }
    for (const auto& r : out) {
      if (r.name == region.name) {
        throw InputError({regions.file, row.line, 0}, "region",
                         "expected each region once, found " + in_quotes(region.name) + " again");
      }
    }
    region.urban_share = scenario.parameters.get(
        "population.urban_share." + std::string(kIncomeGroupKeys[region.income_group]));
    if (c_urban < row.fields.size() && !row.fields[c_urban].empty()) {
      region.urban_share = csv_number(regions, row, c_urban);
      if (region.urban_share < 0 || region.urban_share > 1) {
        throw InputError({regions.file, row.line, 0}, "urban_share",
                         "expected a fraction in [0, 1], found " + row.fields[c_urban]);
      }
    }
    bool found = false;
    for (const auto& p : population.rows) {
      if (p.fields[c_name] != region.name) continue;
      const double year = csv_number(population, p, c_year);
      const double persons = csv_number(population, p, c_pop) * 1e6;
      const double persons_10plus = csv_number(population, p, c_pop10) * 1e6;
      // Children under 10 (the difference) must exist: births follow their projection.
      if (!(persons > 0) || persons_10plus < 0 || !(persons_10plus < persons)) {
        throw InputError({population.file, p.line, 0}, "aged_10_plus_millions",
                         "expected 0 <= aged 10+ < population, found " + p.fields[c_pop10] +
                             " of " + p.fields[c_pop]);
      }
      for (const auto& [seen, unused] : region.projection) {
        if (seen == static_cast<int>(year)) {
          throw InputError({population.file, p.line, 0}, "year",
                           "expected each year once for region " + in_quotes(region.name) +
                               ", found " + p.fields[c_year] + " again");
        }
      }
      region.projection.emplace_back(static_cast<int>(year), persons);
      region.projection_10plus.emplace_back(static_cast<int>(year), persons_10plus);
      if (year != scenario.start.year) continue;
      region.population = persons;
      region.population_10plus = persons_10plus;
      found = true;
    }
    std::sort(region.projection.begin(), region.projection.end());
    std::sort(region.projection_10plus.begin(), region.projection_10plus.end());
    if (!found) {
      throw InputError({population.file, 0, 0}, "group",
                       "expected a row for region " + in_quotes(region.name) + " in " +
                           std::to_string(scenario.start.year) + " (the start year), found none");
    }
    out.push_back(std::move(region));
    if (out.size() > 65535) {
      throw InputError({regions.file, row.line, 0}, "region",
                       "expected at most 65535 regions, found more");
    }
  }
  if (out.empty()) {
    throw InputError({regions.file, 0, 0}, "region", "expected at least one region, found none");
  }
  return out;
}

}  // namespace divsim
