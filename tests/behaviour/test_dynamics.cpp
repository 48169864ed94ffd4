// Behaviour of the monthly processes: degenerate cases, directions of effects, accounting.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "divsim/core/csv.h"
#include "divsim/output/milestone_table.h"
#include "divsim/sim/simulation.h"
#include "expect_error.h"

using namespace divsim;

namespace {

constexpr std::int64_t kAgents = 100'000;

Scenario baseline() {
  return load_scenario(source_path("scenarios/baseline.toml"));
}

void set(Scenario& s, const std::string& name, double value) {
  s.parameters.set(name, value, {"test", 0, 0}, "parameters." + name);
}

struct Outcome {
  WorldPlan plan;
  Trajectory trajectory;
};

Outcome run(const Scenario& s, std::int64_t agents = kAgents) {
  Outcome r;
  r.plan = plan_world(s);
  Simulation sim(s, r.plan, agents, {s.seed, s.replicate});
  r.trajectory = sim.run(nullptr, nullptr);
  return r;
}

double total(const StratumCounts& c, Measure m) {
  double sum = 0;
  for (int s = 0; s < kStrata; ++s) sum += c[static_cast<int>(m) * kStrata + s];
  return sum;
}

bool all(int) {
  return true;
}

std::size_t record_of(const Trajectory& t, int year) {
  for (std::size_t r = 0; r < t.dates.size(); ++r) {
    if (t.dates[r] == CivilDate{year, 7, 1}) return r;
  }
  ADD_FAILURE() << "no record for mid-" << year;
  return 0;
}

/**
 * Steps `world` `months` times and counts the agents who were offline when first seen (at the
 * start, or in the month they were born or arrived) and online in a later month.
 */
std::size_t went_online(World& world, const std::vector<std::unique_ptr<Process>>& processes,
                        int months) {
  Tally tally(world.plan.regions.size());
  tally.count(world.agents, 0, world.counts, &world.places);
  std::vector<char> online_when_seen(world.agents.size());
  for (std::size_t i = 0; i < online_when_seen.size(); ++i)
    online_when_seen[i] = world.agents.online(i);
  std::size_t count = 0;
  StratumCounts record{};
  for (int m = 0; m < months; ++m) {
    advance(world, processes, tally, record);
    const std::size_t seen = online_when_seen.size();
    for (std::size_t i = 0; i < seen; ++i) {
      if (world.agents.online(i) && !online_when_seen[i]) {
        ++count;
        online_when_seen[i] = 1;  // count each agent once
      }
    }
    online_when_seen.resize(world.agents.size());
    for (std::size_t i = seen; i < world.agents.size(); ++i)
      online_when_seen[i] = world.agents.online(i);
  }
  return count;
}

}  // namespace

TEST(dynamics_test, populations_follow_wpp_2024_by_income_group) {
  // Totals and those aged 10+ (so children under 10 as well) within 1% in 2030 and 2035.
  const Scenario s = baseline();
  const Outcome r = run(s, 200'000);
  const CsvTable wpp = read_csv_file(source_path("calibration/population_wpp2024.csv"));
  for (int year : {2030, 2035}) {
    const StratumCounts& c = r.trajectory.records[record_of(r.trajectory, year)];
    for (int g = 0; g < kIncomeGroups; ++g) {
      double modelled = 0, modelled_10plus = 0;
      for (int st = 0; st < kStrata; ++st) {
        if (stratum_key(st).income_group != g) continue;
        modelled += c[static_cast<int>(Measure::population) * kStrata + st];
        modelled_10plus += c[static_cast<int>(Measure::population_10plus) * kStrata + st];
      }
      double expected = 0, expected_10plus = 0;
      for (const auto& row : wpp.rows) {
        if (row.fields[wpp.column("group")] == kIncomeGroupKeys[g] &&
            csv_number(wpp, row, wpp.column("year")) == year) {
          expected = csv_number(wpp, row, wpp.column("population_millions")) * 1e6;
          expected_10plus = csv_number(wpp, row, wpp.column("aged_10_plus_millions")) * 1e6;
        }
      }
      EXPECT_NEAR(modelled / expected, 1.0, 0.01) << kIncomeGroupKeys[g] << " " << year;
      EXPECT_NEAR(modelled_10plus / expected_10plus, 1.0, 0.01)
          << kIncomeGroupKeys[g] << " 10+ " << year;
    }
  }
}

TEST(dynamics_test, no_innovation_and_no_imitation_means_no_adoption) {
  Scenario s = baseline();
  set(s, "adoption.innovation", 0);
  set(s, "adoption.imitation", 0);
  const WorldPlan plan = plan_world(s);
  World world(s, plan, kAgents, {s.seed, 0});
  auto processes = make_processes(s.parameters);
  for (auto& p : processes) p->initialize(world);
  EXPECT_EQ(went_online(world, processes, s.steps()), 0u);
  EXPECT_GT(world.agents.size(), static_cast<std::size_t>(kAgents))
      << "people were born or arrived";
}

TEST(dynamics_test, no_coverage_means_no_new_users) {
  Scenario s = baseline();
  set(s, "coverage.max_rollout_per_month", 0);  // no network is ever built
  const WorldPlan plan = plan_world(s);
  World world(s, plan, kAgents, {s.seed, 0});
  auto processes = make_processes(s.parameters);
  for (auto& p : processes) p->initialize(world);
  // Take every network away.
  for (auto& f : world.frontier) f = {0, 0, 0, 0};
  for (auto& c : world.agents.coverage) c = 0;
  EXPECT_EQ(went_online(world, processes, 24), 0u);
  ASSERT_EQ(world.step, 24);
  StratumCounts counts{};
  Tally(plan.regions.size()).count(world.agents, world.step, counts);
  // Immigrants copy a resident's coverage, which is none.
  EXPECT_EQ(total(counts, Measure::covered_2g_plus), 0.0);
}

TEST(dynamics_test, prices_ten_times_higher_mean_fewer_users_in_2030) {
  const Scenario base = baseline();
  Scenario dear = baseline();
  for (const char* g :
       {"high_income", "upper_middle_income", "lower_middle_income", "low_income"}) {
    const std::string key(g);
    set(dear, "economy.data_price_share." + key,
        10 * base.parameters.get("economy.data_price_share." + key));
    set(dear, "economy.handset_price_usd." + key,
        10 * base.parameters.get("economy.handset_price_usd." + key));
  }
  const Outcome a = run(base), b = run(dear);
  const double users_base =
      total(a.trajectory.records[record_of(a.trajectory, 2030)], Measure::internet_users);
  const double users_dear =
      total(b.trajectory.records[record_of(b.trajectory, 2030)], Measure::internet_users);
  // Same seed, same start world: the paired difference is far beyond sampling noise
  // (binomial sd of the user count at 100,000 agents is about 0.15% of the population).
  const double population =
      total(a.trajectory.records[record_of(a.trajectory, 2030)], Measure::population);
  EXPECT_LT(users_dear, users_base - 0.02 * population);
}

TEST(dynamics_test, weights_sum_to_the_population_every_month) {
  const Scenario s = baseline();
  const WorldPlan plan = plan_world(s);
  Simulation sim(s, plan, kAgents, {s.seed, 0});
  const Trajectory t = sim.run(nullptr, nullptr);
  long double living = 0;
  for (std::size_t i = 0; i < sim.agents().size(); ++i) {
    if (sim.agents().alive(i)) living += sim.agents().weight[i];
  }
  EXPECT_NEAR(static_cast<double>(living / total(t.records.back(), Measure::population)), 1.0,
              1e-12);
  for (const auto& record : t.records) {
    EXPECT_LE(total(record, Measure::internet_users), total(record, Measure::population));
    EXPECT_LE(total(record, Measure::mobile_owners_10plus),
              total(record, Measure::population_10plus));
    EXPECT_LE(total(record, Measure::covered_5g), total(record, Measure::covered_4g_plus));
    EXPECT_LE(total(record, Measure::covered_4g_plus), total(record, Measure::covered_3g_plus));
  }
}

TEST(dynamics_test, coverage_never_recedes_and_the_baseline_gains_users) {
  const Outcome r = run(baseline());
  const auto& first = r.trajectory.records.front();
  const auto& last = r.trajectory.records.back();
  EXPECT_GE(total(last, Measure::covered_4g_plus) / total(last, Measure::population) + 0.01,
            total(first, Measure::covered_4g_plus) / total(first, Measure::population));
  EXPECT_GT(percent(last, Measure::internet_users, Measure::population, all),
            percent(first, Measure::internet_users, Measure::population, all));
}

TEST(dynamics_test, population_accounting_holds_every_month) {
  // previous + births + immigrants - deaths = current, in weighted persons, for every group whose
  // members stay in it (income group, area, sex, disability: everything but age).
  const Outcome r = run(baseline());
  const Trajectory& t = r.trajectory;
  ASSERT_GT(t.records.size(), 100u);
  EXPECT_EQ(total(t.records[0], Measure::births), 0.0) << "nobody is born before the first step";
  EXPECT_EQ(total(t.records[0], Measure::deaths), 0.0);
  EXPECT_EQ(total(t.records[0], Measure::immigrants), 0.0);
  // Each side is a sum of at most as many weights as there are agents, in some fixed order: its
  // rounding error is below agents x 2^-53 x the sum (Higham), far below one agent's weight.
  constexpr double kUnitRoundoff = 0x1.0p-53;
  double births = 0, deaths = 0, immigrants = 0;
  for (std::size_t m = 1; m < t.records.size(); ++m) {
    std::array<double, kStrata> before{}, born{}, arrived{}, died{}, after{};
    auto group_of = [](int s) {
      StratumKey k = stratum_key(s);
      k.age_band = 0;
      return stratum_index(k);
    };
    for (int s = 0; s < kStrata; ++s) {
      before[group_of(s)] += t.records[m - 1][static_cast<int>(Measure::population) * kStrata + s];
      born[group_of(s)] += t.records[m][static_cast<int>(Measure::births) * kStrata + s];
      died[group_of(s)] += t.records[m][static_cast<int>(Measure::deaths) * kStrata + s];
      arrived[group_of(s)] += t.records[m][static_cast<int>(Measure::immigrants) * kStrata + s];
      after[group_of(s)] += t.records[m][static_cast<int>(Measure::population) * kStrata + s];
    }
    for (int g = 0; g < kStrata; ++g) {
      const double tolerance = 4 * 2.0 * kAgents * kUnitRoundoff * std::max(before[g], after[g]);
      ASSERT_NEAR(before[g] + born[g] + arrived[g] - died[g], after[g], tolerance)
          << "month " << m << " group " << g;
    }
    births += total(t.records[m], Measure::births);
    deaths += total(t.records[m], Measure::deaths);
    immigrants += total(t.records[m], Measure::immigrants);
  }
  // The check must have seen every flow; births only ever add newborns, immigrants people aged 10+.
  EXPECT_GT(births, 0.0);
  EXPECT_GT(deaths, 0.0);
  EXPECT_GT(immigrants, 0.0);
  for (std::size_t m = 1; m < t.records.size(); ++m) {
    for (int s = 0; s < kStrata; ++s) {
      if (stratum_key(s).age_band == 0) {
        EXPECT_EQ(t.records[m][static_cast<int>(Measure::immigrants) * kStrata + s], 0.0);
        continue;
      }
      EXPECT_EQ(t.records[m][static_cast<int>(Measure::births) * kStrata + s], 0.0);
    }
  }
}

TEST(dynamics_test, online_contact_counts_stay_exact) {
  // Every agent's count of online contacts must equal a fresh count after every month, both when
  // few agents change (the engine visits only them) and when a chunk overflows its list of
  // changes (a burst of adoption: the engine scans the whole chunk instead).
  for (const double innovation : {0.003, 0.5}) {
    Scenario s = baseline();
    set(s, "adoption.innovation", innovation);
    const WorldPlan plan = plan_world(s);
    World world(s, plan, kAgents, {s.seed, 0});
    auto processes = make_processes(s.parameters);
    for (auto& p : processes) p->initialize(world);
    Tally tally(plan.regions.size());
    tally.count(world.agents, 0, world.counts, &world.places);
    StratumCounts record{};
    std::uint32_t most_changes = 0;
    for (int m = 0; m < 6; ++m) {
      advance(world, processes, tally, record);
      for (std::uint32_t c : world.changed.count) most_changes = std::max(most_changes, c);
      const Agents& a = world.agents;
      for (std::size_t i = 0; i < a.size(); ++i) {
        std::uint16_t online = 0;
        for (std::uint32_t j : world.network.contacts(i)) online += a.alive(j) && a.online(j);
        ASSERT_EQ(a.online_contacts[i], online) << "agent " << i << " month " << world.step;
      }
    }
    if (innovation > 0.1) {
      EXPECT_GT(most_changes, ChangedAgents::kPerChunk) << "the burst overflowed a chunk's list";
    } else {
      EXPECT_LE(most_changes, ChangedAgents::kPerChunk) << "ordinary months fit the lists";
    }
  }
}
