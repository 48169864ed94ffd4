#include <gtest/gtest.h>

#include "divsim/scenario/scenario.h"
#include "expect_error.h"
#include "scenario_text.h"

using namespace divsim;
using divsim::test::kMinimal;
using divsim::test::parse;

namespace {

std::string first_error(const std::string& body) {
  try {
    parse(body);
  } catch (const InputErrors& e) {
    return e.errors().front().what();
  }
  return "no error";
}

}  // namespace

TEST(scenario_test, shipped_baseline_is_valid) {
  const Scenario s = load_scenario(source_path("scenarios/baseline.toml"));
  EXPECT_EQ(s.name, "baseline");
  EXPECT_EQ(s.start, (CivilDate{2025, 1, 1}));
  EXPECT_EQ(s.steps(), 132);
  EXPECT_EQ(s.milestones, (std::vector<int>{2026, 2027, 2030, 2035}));
  EXPECT_GE(s.agents, 1);
}

TEST(scenario_test, defaults_and_overrides) {
  const Scenario s = parse(kMinimal +
                           "[run]\nseed = 9\nreplicate = 2\n"
                           "[parameters]\n\"population.female_share\" = 0.5\n"
                           "[parameters.synthesis.skills]\nbasic_given_user = 0.6\n");
  EXPECT_EQ(s.seed, 9u);
  EXPECT_EQ(s.replicate, 2u);
  EXPECT_EQ(s.parameters.get("population.female_share"), 0.5);
  EXPECT_EQ(s.parameters.get("synthesis.skills.basic_given_user"), 0.6);
  EXPECT_EQ(s.parameters.overrides().size(), 2u);
}

TEST(scenario_test, missing_tables_are_named) {
  EXPECT_EQ(first_error("[scenario]\nname = \"t\"\n"),
            source_path("scenarios/test.toml") +
                ":1:1: time: expected a [time] table with start and end dates, found nothing");
}

TEST(scenario_test, unknown_top_level_key_lists_the_known_ones) {
  const std::string message = first_error(kMinimal + "[wrld]\nx = 1\n");
  EXPECT_NE(message.find(":10:2: wrld: expected one of scenario, time, world, run, output, "
                         "parameters, interventions, found unknown key \"wrld\""),
            std::string::npos)
      << message;
}

TEST(scenario_test, every_error_is_reported_in_file_order) {
  try {
    parse(
        "[scenario]\nname = \"Bad Name\"\n[time]\nstart = 2025-02-03\nend = 2024-01-01\n"
        "[world]\nagents = 0\nregions = 3\npopulation = "
        "\"../calibration/population_wpp2024.csv\"\n");
    FAIL() << "expected errors";
  } catch (const InputErrors& e) {
    ASSERT_EQ(e.errors().size(), 4u) << e.what();
    EXPECT_EQ(e.errors()[0].key(), "scenario.name");
    EXPECT_EQ(e.errors()[1].key(), "time.start");
    EXPECT_EQ(e.errors()[2].key(), "world.agents");
    EXPECT_EQ(e.errors()[3].key(), "world.regions");
    EXPECT_EQ(e.errors()[3].message(), "expected a string, found integer");
  }
}

TEST(scenario_test, milestones_must_be_years) {
  const std::string message = first_error(kMinimal + "[output]\nmilestones = [2030, \"soon\"]\n");
  EXPECT_NE(
      message.find("output.milestones: expected a year in [1900, 2200], found string \"soon\""),
      std::string::npos)
      << message;
}

TEST(scenario_test, parameter_value_must_be_a_number) {
  const std::string message =
      first_error(kMinimal + "[parameters]\n\"population.female_share\" = \"half\"\n");
  EXPECT_NE(message.find("parameters.population.female_share: expected a number, found string"),
            std::string::npos)
      << message;
}

TEST(scenario_test, milestone_years_are_unique) {
  const std::string message = first_error(kMinimal + "[output]\nmilestones = [2030, 2030]\n");
  EXPECT_NE(message.find("output.milestones: expected each year once, found 2030 again"),
            std::string::npos)
      << message;
}
