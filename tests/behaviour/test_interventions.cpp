// Behaviour of interventions: money that buys nothing changes nothing, more money buys no fewer
// users, targeting works, and the ledger creates and loses nothing.
#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "divsim/output/milestone_table.h"
#include "divsim/sim/simulation.h"
#include "expect_error.h"

using namespace divsim;

namespace {

constexpr std::int64_t kAgents = 50'000;

std::string baseline_text() {
  std::ifstream in(source_path("scenarios/baseline.toml"));
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  // To mid-2030: the milestone the tests compare.
  s.replace(s.find("end = 2035-12-31"), 16, "end = 2030-06-30");
  return s;
}

Scenario scenario(const std::string& interventions, std::uint64_t replicate = 0) {
  Scenario s = parse_scenario(baseline_text() + interventions, source_path("scenarios/test.toml"));
  s.replicate = replicate;
  return s;
}

struct Outcome {
  Trajectory trajectory;
  Ledger ledger;
};

Outcome run(const Scenario& s, std::int64_t agents = kAgents) {
  const WorldPlan plan = plan_world(s);
  Simulation sim(s, plan, agents, {s.seed, s.replicate});
  Outcome out;
  out.trajectory = sim.run(nullptr, nullptr);
  out.ledger = sim.world().ledger;
  return out;
}

double percent_online(const StratumCounts& c, bool (*select)(int)) {
  return percent(c, Measure::internet_users, Measure::population, select);
}

bool everyone(int) {
  return true;
}
bool women(int s) {
  return stratum_key(s).sex == 0;
}
bool men(int s) {
  return stratum_key(s).sex == 1;
}

const StratumCounts& mid_2030(const Outcome& o) {
  return o.trajectory.records.back();
}

std::string fund(const std::string& name, double musd_per_year,
                 const std::string& instrument = "public_budget") {
  return "[[interventions]]\ntype = \"financing\"\nname = \"" + name + "\"\ninstrument = \"" +
         instrument + "\"\nstart = 2026-01-01\nend = 2030-12-31\namount_musd_per_year = " +
         std::to_string(musd_per_year) + "\n";
}

std::string programme(const std::string& type, const std::string& name, const std::string& funding,
                      const std::string& extra) {
  return "[[interventions]]\ntype = \"" + type + "\"\nname = \"" + name + "\"\nfunding = \"" +
         funding + "\"\nstart = 2026-01-01\nend = 2030-12-31\n" + extra;
}

/** One programme of every type and instrument, sharing `fund_name`'s money. */
std::string every_programme(const std::string& fund_name) {
  return programme("coverage_subsidy", "mobile", fund_name, "share = 0.1\n") +
         programme("coverage_subsidy", "community", fund_name,
                   "share = 0.1\ntechnology = \"community_network\"\n") +
         programme("affordability", "handsets", fund_name, "share = 0.1\n") +
         programme("affordability", "vouchers", fund_name,
                   "share = 0.1\ninstrument = \"data_subsidy\"\n") +
         programme("affordability", "handset-tax", fund_name,
                   "share = 0.1\ninstrument = \"handset_tax\"\n") +
         programme("affordability", "service-tax", fund_name,
                   "share = 0.1\ninstrument = \"service_tax\"\n") +
         programme("skills", "training", fund_name, "share = 0.2\n") +
         programme("school_connectivity", "schools", fund_name, "share = 0.2\n");
}

void expect_identical(const Trajectory& a, const Trajectory& b) {
  ASSERT_EQ(a.records.size(), b.records.size());
  for (std::size_t t = 0; t < a.records.size(); ++t) {
    ASSERT_EQ(0, std::memcmp(a.records[t].data(), b.records[t].data(), sizeof(StratumCounts)))
        << "record " << t << " differs";
  }
}

struct Spread {
  double mean = 0, standard_error = 0;
};

Spread spread(const std::vector<double>& x) {
  Spread s;
  for (double v : x) s.mean += v;
  s.mean /= static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - s.mean) * (v - s.mean);
  s.standard_error =
      std::sqrt(ss / static_cast<double>(x.size() - 1) / static_cast<double>(x.size()));
  return s;
}

constexpr int kReplicates = 5;

}  // namespace

TEST(interventions_behaviour, zero_budget_changes_nothing) {
  const Outcome base = run(scenario(""));
  const Outcome zero = run(scenario(fund("treasury", 0) + every_programme("treasury")));
  expect_identical(base.trajectory, zero.trajectory);
  EXPECT_EQ(zero.ledger.check_conservation(), "");
}

TEST(interventions_behaviour, a_programme_that_reaches_nobody_changes_nothing) {
  // Money, but nobody eligible: training is for people aged 10+ and the target is under 10.
  const Outcome base = run(scenario(""));
  const Outcome idle = run(scenario(fund("treasury", 5000) +
                                    programme("skills", "training", "treasury",
                                              "share = 1\ntarget = { age_band = [\"0-9\"] }\n")));
  expect_identical(base.trajectory, idle.trajectory);
  const Ledger& l = idle.ledger;
  Cents spent = 0;
  for (std::size_t t = 0; t < l.months(); ++t) spent += l.programme_spending(t, 0);
  EXPECT_EQ(spent, 0);
  EXPECT_GT(l.programme_balance(l.months() - 1, 0), 0);  // the money waits, unspent
}

TEST(interventions_behaviour, the_ledger_creates_and_loses_nothing) {
  const std::string usf =
      "[[interventions]]\ntype = \"universal_service_fund\"\nname = \"usf\"\n"
      "start = 2025-06-01\nend = 2035-12-31\nlevy_percent = 2\n"
      "target = { income_group = [\"low_income\", \"lower_middle_income\"] }\n";
  const std::string loan =
      "[[interventions]]\ntype = \"financing\"\nname = \"loan\"\ninstrument = "
      "\"development_bank_loan\"\nstart = 2026-01-01\nend = 2028-12-31\namount_musd_per_year = "
      "3000\ninterest_percent = 2\n";
  const Outcome o = run(scenario(
      fund("blend", 4000, "blended") + "private_leverage = 0.5\n" + usf + loan +
      every_programme("blend") + programme("skills", "usf-training", "usf", "share = 0.6\n") +
      programme("affordability", "loan-handsets", "loan", "budget_musd_per_year = 2000\n")));
  const Ledger& l = o.ledger;
  EXPECT_EQ(l.check_conservation(), "");
  Cents in = 0, spent = 0;
  for (std::size_t t = 0; t < l.months(); ++t) {
    for (std::size_t s = 0; s < l.sources().size(); ++s) {
      in += l.inflow_public(t, s) + l.inflow_private(t, s);
      for (int u = 0; u < kLedgerUses; ++u) spent += l.spending(t, s, static_cast<LedgerUse>(u));
    }
  }
  Cents held = 0;
  for (std::size_t s = 0; s < l.sources().size(); ++s) held += l.balance(l.months() - 1, s);
  EXPECT_EQ(in, spent + held);
  EXPECT_GT(spent, 0);
  // The fund keeps what it does not release: 65% of the levy by default.
  EXPECT_GT(l.idle(l.months() - 1, 1), 0);
  // Blended finance brings half a private dollar per public dollar (each rounded to the cent).
  EXPECT_LE(std::abs(l.inflow_private(13, 0) * 2 - l.inflow_public(13, 0)), 1);
  EXPECT_GT(l.debt(l.months() - 1, 2), to_cents(3000e6 * 3));  // principal plus interest
  for (int u = 0; u < kLedgerUses; ++u) {
    Cents by_use = 0;
    for (std::size_t t = 0; t < l.months(); ++t)
      by_use += l.spending(t, 0, static_cast<LedgerUse>(u));
    EXPECT_GT(by_use, 0) << "nothing spent on " << kLedgerUseNames[u];
  }
}

TEST(interventions_behaviour, seats_ration_training_when_money_does_not) {
  // Money for far more than 2 million seats a year: the seats bind, in queue order.
  const Scenario s =
      scenario(fund("treasury", 5000) + programme("skills", "training", "treasury",
                                                  "share = 1\nseats_per_year = 24000000\n"));
  const Outcome o = run(s);
  const Ledger& l = o.ledger;
  const double weight = plan_world(s).population / kAgents;
  const double per_month = 24e6 / 12 / weight;  // agents
  long long trained = 0;
  for (std::size_t t = 1; t < l.months(); ++t) {
    const auto reached = std::llround(l.programme_reached(t, 0) / weight);  // agents
    EXPECT_LE(reached, static_cast<std::int64_t>(std::ceil(per_month)) + 1) << "month " << t;
    EXPECT_EQ(l.programme_spending(t, 0), reached * to_cents(25 * weight)) << "month " << t;
    trained += reached;
  }
  // 54 months of seats (2026-01 to 2030-06), all filled: the target is large.
  EXPECT_NEAR(static_cast<double>(trained), 54 * per_month, 1.0);
  EXPECT_GT(l.programme_balance(l.months() - 1, 0), 0);  // money left: seats, not money, bound
}

TEST(interventions_behaviour, the_remotest_people_never_cost_more_than_the_money) {
  // Near rank 1 a steep cost curve prices a step beyond what 64-bit cents can hold.
  const Outcome o = run(
      scenario(fund("treasury", 50000) +
               programme("school_connectivity", "schools", "treasury",
                         "share = 0.5\nremoteness_cost_exponent = 10\nmax_rollout_per_month = 0.2\n"
                         "target = { income_group = [\"high\"] }\n") +
               programme("coverage_subsidy", "masts", "treasury",
                         "share = 0.5\nmax_rollout_per_month = 0.2\n")));
  const Ledger& l = o.ledger;
  EXPECT_EQ(l.check_conservation(), "");
  for (std::size_t t = 0; t < l.months(); ++t) {
    for (std::size_t p = 0; p < 2; ++p) {
      ASSERT_GE(l.programme_spending(t, p), 0) << "month " << t;
      ASSERT_GE(l.programme_balance(t, p), 0) << "month " << t;
    }
  }
}

TEST(interventions_behaviour, each_data_programme_has_its_own_voucher) {
  const Scenario s =
      scenario(fund("treasury", 1000) +
               programme("affordability", "free", "treasury",
                         "share = 0.5\ninstrument = \"data_subsidy\"\nsubsidy_percent = 100\n") +
               programme("affordability", "half", "treasury",
                         "share = 0.5\ninstrument = \"data_subsidy\"\nsubsidy_percent = 50\n"));
  const WorldPlan plan = plan_world(s);
  Simulation sim(s, plan, 20'000, {s.seed, s.replicate});
  EXPECT_EQ(sim.world().voucher_slots, 2);
  EXPECT_EQ(sim.world().voucher_factor[1], 0.0);  // free data
  EXPECT_EQ(sim.world().voucher_factor[2], 0.5);
  // Free data alone changes who goes online.
  const Outcome base = run(scenario(""));
  const Outcome free_data =
      run(scenario(fund("treasury", 1000) +
                   programme("affordability", "free", "treasury",
                             "share = 1\ninstrument = \"data_subsidy\"\nsubsidy_percent = 100\n")));
  EXPECT_NE(0,
            std::memcmp(mid_2030(base).data(), mid_2030(free_data).data(), sizeof(StratumCounts)));
}

TEST(interventions_behaviour, more_budget_never_buys_fewer_users) {
  // Paired by replicate (common random numbers): the difference's spread is the noise.
  std::vector<double> gained;
  for (int r = 0; r < kReplicates; ++r) {
    const std::string programmes =
        programme("affordability", "handsets", "treasury", "share = 0.5\n") +
        programme("skills", "training", "treasury", "share = 0.5\n");
    const Outcome small = run(scenario(fund("treasury", 2000) + programmes, r));
    const Outcome large = run(scenario(fund("treasury", 4000) + programmes, r));
    gained.push_back(percent_online(mid_2030(large), everyone) -
                     percent_online(mid_2030(small), everyone));
  }
  const Spread d = spread(gained);
  std::printf("more budget: +%.3f pp (se %.3f)\n", d.mean, d.standard_error);
  EXPECT_GE(d.mean, -3 * d.standard_error) << "mean " << d.mean << " pp, se " << d.standard_error;
  EXPECT_GT(d.mean, 3 * d.standard_error) << "doubling the money bought nothing measurable";
}

TEST(interventions_behaviour, targeting_women_narrows_the_gender_gap_more) {
  std::vector<double> narrowed;
  for (int r = 0; r < kReplicates; ++r) {
    const Outcome everyone_offered = run(scenario(
        fund("treasury", 3000) + programme("affordability", "handsets", "treasury", "share = 1\n"),
        r));
    const Outcome women_offered = run(
        scenario(fund("treasury", 3000) + programme("affordability", "handsets", "treasury",
                                                    "share = 1\ntarget = { sex = [\"female\"] }\n"),
                 r));
    auto gap = [](const Outcome& o) {
      return percent_online(mid_2030(o), men) - percent_online(mid_2030(o), women);
    };
    narrowed.push_back(gap(everyone_offered) - gap(women_offered));
  }
  const Spread d = spread(narrowed);
  std::printf("targeting women: gap %.3f pp narrower (se %.3f)\n", d.mean, d.standard_error);
  EXPECT_GT(d.mean, 3 * d.standard_error) << "mean " << d.mean << " pp, se " << d.standard_error;
}

TEST(interventions_behaviour, rationing_is_the_same_on_any_thread_count) {
  const Scenario s = scenario(fund("treasury", 3000) + every_programme("treasury"));
  Outcome one, many;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = run(s);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 4);
    many = run(s);
  }
  expect_identical(one.trajectory, many.trajectory);
  for (std::size_t t = 0; t < one.ledger.months(); ++t) {
    for (std::size_t p = 0; p < one.ledger.programmes().size(); ++p) {
      ASSERT_EQ(one.ledger.programme_spending(t, p), many.ledger.programme_spending(t, p));
      ASSERT_EQ(one.ledger.programme_reached(t, p), many.ledger.programme_reached(t, p));
    }
  }
}
