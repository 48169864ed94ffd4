// Starting before 2025 from the history file: the start world of 2015, networks and prices that
// follow the record, and nothing built before its time.
#include <gtest/gtest.h>

#include <cmath>

#include "divsim/calibration/targets.h"
#include "divsim/output/milestone_table.h"
#include "divsim/sim/simulation.h"
#include "divsim/world/synthesis.h"
#include "expect_error.h"

using namespace divsim;

namespace {

constexpr std::int64_t kAgents = 40'000;

struct Hindcast {
  Scenario scenario;
  WorldPlan plan;
  std::unique_ptr<Simulation> sim;
  Trajectory trajectory;
};

/** history-2015.toml run from mid-2015 to the first day of the month `end`. */
std::unique_ptr<Hindcast> hindcast(const CivilDate& end) {
  auto h = std::make_unique<Hindcast>();
  h->scenario = load_scenario(source_path("scenarios/history-2015.toml"));
  h->scenario.end = end;
  h->plan = plan_world(h->scenario);
  h->sim = std::make_unique<Simulation>(h->scenario, h->plan, kAgents,
                                        RandomKey{h->scenario.seed, h->scenario.replicate});
  h->trajectory = h->sim->run(nullptr, nullptr);
  return h;
}

double value(const Trajectory& t, int year, const char* indicator, const char* group) {
  CalibrationTarget target;
  target.indicator = indicator;
  target.group = group;
  const int record = mid_year_record(t, year);
  EXPECT_GE(record, 0) << year;
  return record >= 0 ? target_value(target, t.records[record]) : NAN;
}

double recorded(const Scenario& s, const std::string& name, int year) {
  return *s.history.value_at(name, mid_year_month(year));
}

/** Four binomial standard errors of a share `p` (percent) measured over `n` agents, in points. */
double four_se(double p, double n) {
  return 4 * 100 * std::sqrt(p / 100 * (1 - p / 100) / n);
}

}  // namespace

TEST(history_behaviour, the_2015_world_has_the_figures_of_2015) {
  const auto h = hindcast({2015, 7, 31});
  const Trajectory& t = h->trajectory;
  for (const char* name : {"start.internet_use.world", "start.coverage_3g_plus.world",
                           "start.coverage_4g_plus.world"}) {
    bool found = false;
    for (const auto& f : h->plan.fit.figures) {
      if (f.parameter != name) continue;
      found = true;
      EXPECT_DOUBLE_EQ(f.given, recorded(h->scenario, name, 2015)) << name;
      EXPECT_NEAR(f.fitted, f.reconciled, 1e-6) << name;
    }
    EXPECT_TRUE(found) << name;
  }
  // Record 0 is the start (1 July 2015): the drawn agents against the figures.
  const double use =
      percent(t.records[0], Measure::internet_users, Measure::population, [](int) { return true; });
  EXPECT_NEAR(use, 39.8, four_se(39.8, kAgents));
  const double g4 = percent(t.records[0], Measure::covered_4g_plus, Measure::population,
                            [](int) { return true; });
  EXPECT_NEAR(g4, 43, four_se(43, kAgents));
  EXPECT_EQ(t.records[0][static_cast<int>(Measure::covered_5g) * kStrata], 0.0);
  double covered_5g = 0;
  for (int s = 0; s < kStrata; ++s)
    covered_5g += t.records[0][static_cast<int>(Measure::covered_5g) * kStrata + s];
  EXPECT_EQ(covered_5g, 0.0);  // a figure of 0: nobody, not a few
}

TEST(history_behaviour, networks_follow_the_record_and_nothing_is_built_before_its_time) {
  const auto h = hindcast({2020, 7, 31});
  const Trajectory& t = h->trajectory;
  // No 5G before the record has some (2019), however profitable the roll-out rule finds it.
  EXPECT_EQ(value(t, 2018, "coverage_5g", "world"), 0.0);
  EXPECT_GT(value(t, 2020, "coverage_5g", "world"), 0.0);
  // A year on, the world's coverage is the record's: the fit is made over the start's cells, so
  // a year of population change (well under a point of any group's share) and sampling remain.
  for (const char* level : {"coverage_3g_plus", "coverage_4g_plus"}) {
    const double want = recorded(h->scenario, std::string("start.") + level + ".world", 2016);
    EXPECT_NEAR(value(t, 2016, level, "world"), want, 1.0 + four_se(want, kAgents)) << level;
  }
}

TEST(history_behaviour, prices_and_incomes_follow_the_record) {
  const auto h = hindcast({2020, 6, 30});  // the last step ends on 1 July 2020
  const World& w = h->sim->world();
  const Scenario& s = h->scenario;
  const double income_2020 = recorded(s, "income.mean_monthly_usd.low_income", 2020);
  const double income_2015 = recorded(s, "income.mean_monthly_usd.low_income", 2015);
  EXPECT_NEAR(w.income_index[3], income_2020 / income_2015, 1e-12);
  EXPECT_NEAR(w.data_price[3],
              recorded(s, "economy.data_price_share.low_income", 2020) / 100 * income_2020, 1e-9);
  EXPECT_NEAR(w.handset_price[3], recorded(s, "economy.handset_price_usd.low_income", 2020), 1e-9);
}
