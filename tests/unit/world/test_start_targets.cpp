#include <gtest/gtest.h>

#include <cmath>

#include "divsim/world/synthesis.h"
#include "expect_error.h"

using namespace divsim;

namespace {

const WorldPlan& baseline_plan() {
  static const WorldPlan plan = plan_world(load_scenario(source_path("scenarios/baseline.toml")));
  return plan;
}

double share(const WorldPlan& plan, bool (*select)(const WorldCell&)) {
  double part = 0, all = 0;
  for (const auto& c : plan.cells) {
    all += c.population;
    if (select(c)) part += c.population;
  }
  return part / all;
}

}  // namespace

TEST(start_targets_test, cells_cover_the_population_exactly) {
  const WorldPlan& plan = baseline_plan();
  double cells = 0, regions = 0;
  for (const auto& c : plan.cells) cells += c.population;
  for (const auto& r : plan.regions) regions += r.population;
  EXPECT_NEAR(cells / regions, 1.0, 1e-12);
  EXPECT_NEAR(regions, (1267.9 + 2821.0 + 3336.0 + 777.2) * 1e6, 1.0);  // WPP 2024, 2025
  EXPECT_NEAR(share(plan, [](const WorldCell& c) { return c.area == 0; }), 0.58, 0.01);
  EXPECT_NEAR(share(plan, [](const WorldCell& c) { return c.disability == 1; }), 0.16, 0.01);
}

TEST(start_targets_test, every_figure_is_fitted_to_its_reconciled_value) {
  for (const auto& f : baseline_plan().fit.figures) {
    EXPECT_NEAR(f.fitted, f.reconciled, 1e-7) << f.parameter;
    // Reconciliation moves a draft figure by less than half a point.
    if (f.source.rfind("draft", 0) == 0) {
      EXPECT_LT(std::abs(f.reconciled - f.given), 0.5) << f.parameter;
    }
  }
}

TEST(start_targets_test, coverage_levels_are_nested_and_children_own_no_phones) {
  const WorldPlan& plan = baseline_plan();
  const auto& r = plan.fit.rates;
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    for (int level = 3; level <= 5; ++level) EXPECT_LE(r[level][c], r[level - 1][c]);
    if (plan.cells[c].age_band == 0) {
      EXPECT_EQ(r[static_cast<int>(StartIndicator::mobile_ownership_10plus)][c], 0.0);
    }
  }
}

TEST(start_targets_test, age_shares_must_sum_to_one) {
  Scenario s = load_scenario(source_path("scenarios/baseline.toml"));
  s.parameters.set("population.age_share_10plus.low_income.10_14", 0.27, {"x.toml", 3, 1},
                   "parameters.population.age_share_10plus.low_income.10_14");
  EXPECT_THROW_MSG(plan_world(s), InputError,
                   "x.toml:3:1: parameters.population.age_share_10plus.low_income.*: expected "
                   "shares summing to 1, found 1.1");
}

TEST(start_targets_test, impossible_nesting_is_refused) {
  Scenario s = load_scenario(source_path("scenarios/baseline.toml"));
  s.parameters.set("start.coverage_4g_plus.world", 97, {"x.toml", 3, 1}, "parameters.start");
  EXPECT_THROW_MSG(plan_world(s), InputError,
                   s.file +
                       ": parameters.start: start figure start.coverage_4g_plus.world (97.00%) "
                       "exceeds the coverage of coverage_3g_plus over the same people (96.00%)");
}

TEST(start_targets_test, allotment_is_exact_and_proportional) {
  const WorldPlan& plan = baseline_plan();
  for (std::int64_t n : {1, 7, 1000, 123457}) {
    const auto count = plan.allot(n);
    std::int64_t sum = 0;
    for (std::size_t c = 0; c < count.size(); ++c) {
      sum += count[c];
      EXPECT_LE(std::abs(count[c] - n * plan.cells[c].population / plan.population), 1.0);
    }
    EXPECT_EQ(sum, n);
  }
}

TEST(start_targets_test, finer_regions_down_to_countries) {
  Scenario s = load_scenario(source_path("scenarios/baseline.toml"));
  s.regions_file = source_path("tests/data/regions/countries.csv");
  s.population_file = source_path("tests/data/regions/population.csv");
  const WorldPlan plan = plan_world(s);
  ASSERT_EQ(plan.regions.size(), 5u);
  EXPECT_EQ(plan.cells.size(), 5u * 48);
  EXPECT_EQ(plan.regions[3].name, "country_a");
  EXPECT_EQ(plan.regions[3].income_group, 3);
  EXPECT_DOUBLE_EQ(plan.regions[3].urban_share, 0.30);
  // The low-income figure holds over both countries together.
  double users = 0, people = 0;
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    if (plan.cells[c].income_group != 3) continue;
    users += plan.cells[c].population * plan.fit.rates[0][c];
    people += plan.cells[c].population;
  }
  EXPECT_NEAR(100 * users / people, 26.5, 1e-6);
}

TEST(start_targets_test, region_errors_name_file_and_line) {
  Scenario s = load_scenario(source_path("scenarios/baseline.toml"));
  s.regions_file = source_path("tests/data/regions/countries.csv");
  s.population_file = source_path("calibration/population_wpp2024.csv");
  EXPECT_THROW_MSG(plan_world(s), InputError,
                   source_path("calibration/population_wpp2024.csv") +
                       ": group: expected a row for region \"country_a\" in 2025 (the start year), "
                       "found none");
}

TEST(start_targets_test, population_rows_must_leave_children_and_name_each_year_once) {
  Scenario s = load_scenario(source_path("scenarios/baseline.toml"));
  s.population_file = source_path("tests/data/regions/population_no_children.csv");
  EXPECT_THROW_MSG(plan_world(s), InputError,
                   source_path("tests/data/regions/population_no_children.csv") +
                       ":15: aged_10_plus_millions: expected 0 <= aged 10+ < population, found "
                       "989.1 of 989.1");
  s.population_file = source_path("tests/data/regions/population_duplicate_year.csv");
  EXPECT_THROW_MSG(plan_world(s), InputError,
                   source_path("tests/data/regions/population_duplicate_year.csv") +
                       ":16: year: expected each year once for region \"high_income\", found "
                       "2030 again");
}
