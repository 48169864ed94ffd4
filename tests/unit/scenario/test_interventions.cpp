// The [[interventions]] schema: each defect gets one message naming the entry and the key.
#include <gtest/gtest.h>

#include "divsim/scenario/scenario.h"
#include "expect_error.h"
#include "scenario_text.h"

using namespace divsim;
using divsim::test::kMinimal;
using divsim::test::parse;

namespace {

const std::string kFund =
    "[[interventions]]\ntype = \"financing\"\nname = \"treasury\"\nstart = 2026-01-01\n"
    "end = 2030-12-31\namount_musd_per_year = 100\n";

std::string programme(const std::string& type, const std::string& extra) {
  return "[[interventions]]\ntype = \"" + type +
         "\"\nname = \"p\"\nfunding = \"treasury\"\nstart = 2026-01-01\nend = 2030-12-31\n" + extra;
}

/** The text after `file:line:col: ` of the first error. */
std::string first_error(const std::string& body) {
  try {
    parse(body);
  } catch (const InputErrors& e) {
    const std::string what = e.errors().front().what();
    const std::string file = source_path("scenarios/test.toml") + ":";
    std::string rest = what.substr(what.find(file) == 0 ? file.size() : 0);
    return rest.substr(rest.find(' ') + 1);
  }
  return "no error";
}

}  // namespace

TEST(interventions_test, settings_take_entry_then_scenario_then_table_values) {
  const Scenario s =
      parse(kMinimal + "[parameters]\n\"intervention.skills.completion_rate\" = 0.5\n" + kFund +
            programme("skills", "share = 0.5\ncost_per_trainee_usd = 40\n"));
  ASSERT_EQ(s.interventions.size(), 2u);
  const InterventionSpec& p = s.interventions[1];
  EXPECT_EQ(p.type, "skills");
  EXPECT_EQ(p.funding, "treasury");
  EXPECT_EQ(p.number("cost_per_trainee_usd"), 40);
  EXPECT_EQ(p.number("completion_rate"), 0.5);  // the scenario's [parameters]
  EXPECT_EQ(p.number("share"), 0.5);
  EXPECT_EQ(s.interventions[0].choice("instrument"), "public_budget");  // the first value
  EXPECT_TRUE(p.active({2026, 1, 1}));
  EXPECT_FALSE(p.active({2031, 1, 1}));
}

TEST(interventions_test, targets_accept_labels_and_keys) {
  const Scenario s = parse(kMinimal + kFund +
                           programme("skills",
                                     "share = 1\ntarget = { sex = [\"female\"], income_group = "
                                     "[\"low_income\", \"lower_middle\"], age_band = [\"15-24\", "
                                     "\"25_49\"] }\n"));
  const Target& t = s.interventions[1].target;
  EXPECT_EQ(t.sex, (std::array<bool, 2>{true, false}));
  EXPECT_EQ(t.income_group, (std::array<bool, 4>{false, false, true, true}));
  EXPECT_EQ(t.age_band, (std::array<bool, 6>{false, false, true, true, false, false}));
  EXPECT_TRUE(t.includes(stratum_index({3, 1, 0, 2, 1})));
  EXPECT_FALSE(t.includes(stratum_index({3, 1, 1, 2, 1})));
}

TEST(interventions_test, unknown_type_lists_the_known_ones) {
  EXPECT_EQ(first_error(kMinimal + "[[interventions]]\ntype = \"magic\"\nname = \"m\"\n"
                                   "start = 2026-01-01\nend = 2027-01-01\n"),
            "interventions[0].type: expected one of universal_service_fund, financing, "
            "affordability, skills, school_connectivity, coverage_subsidy, found unknown type "
            "\"magic\"");
}

TEST(interventions_test, unknown_setting_lists_the_known_ones) {
  EXPECT_EQ(first_error(kMinimal + kFund + programme("skills", "share = 1\nseats = 4\n")),
            "interventions[1].seats: expected one of type, name, start, end, target, funding, "
            "level, budget_musd_per_year, share, cost_per_trainee_usd, seats_per_year, "
            "completion_rate, found unknown key \"seats\"");
}

TEST(interventions_test, settings_are_bounded_by_the_table) {
  EXPECT_EQ(first_error(kMinimal + kFund + programme("skills", "share = 1\ncompletion_rate = 2\n")),
            "interventions[1].completion_rate: expected a number in [0, 1] (fraction), found 2");
}

TEST(interventions_test, funding_must_name_a_fund) {
  EXPECT_EQ(first_error(kMinimal + kFund +
                        "[[interventions]]\ntype = \"skills\"\nname = \"p\"\nfunding = \"usf\"\n"
                        "start = 2026-01-01\nend = 2030-12-31\nshare = 1\n"),
            "interventions[1].funding: expected the name of a universal_service_fund or "
            "financing entry (treasury), found \"usf\"");
}

TEST(interventions_test, a_fund_has_no_funding) {
  EXPECT_EQ(first_error(kMinimal +
                        "[[interventions]]\ntype = \"financing\"\nname = \"f\"\nfunding = \"x\"\n"
                        "start = 2026-01-01\nend = 2030-12-31\n"),
            "interventions[0].funding: expected no funding for a financing (it is a source of "
            "money), found one");
}

TEST(interventions_test, shares_of_a_fund_sum_to_at_most_one) {
  const std::string second =
      "[[interventions]]\ntype = \"skills\"\nname = \"q\"\nfunding = \"treasury\"\n"
      "start = 2026-01-01\nend = 2030-12-31\nshare = 0.6\n";
  EXPECT_EQ(first_error(kMinimal + kFund + programme("skills", "share = 0.5\n") + second),
            "interventions[2].share: expected the shares of fund treasury to sum to at most 1, "
            "found 1.1");
}

TEST(interventions_test, a_programme_needs_a_share_or_a_budget) {
  EXPECT_EQ(first_error(kMinimal + kFund + programme("skills", "")),
            "interventions[1]: expected budget_musd_per_year or share, found neither");
  EXPECT_EQ(first_error(kMinimal + kFund +
                        programme("skills", "share = 0.5\nbudget_musd_per_year = 10\n")),
            "interventions[1].share: expected share or budget_musd_per_year, found both");
}

TEST(interventions_test, a_default_share_yields_to_a_written_budget) {
  const Scenario s = parse(kMinimal + "[parameters]\n\"intervention.programme.share\" = 0.3\n" +
                           kFund + programme("skills", "budget_musd_per_year = 10\n"));
  EXPECT_EQ(s.interventions[1].number("share"), 0);
  EXPECT_EQ(s.interventions[1].number("budget_musd_per_year"), 10);
}

TEST(interventions_test, financing_has_no_target) {
  EXPECT_EQ(first_error(kMinimal +
                        "[[interventions]]\ntype = \"financing\"\nname = \"f\"\n"
                        "start = 2026-01-01\nend = 2030-12-31\ntarget = { sex = [\"female\"] }\n"),
            "interventions[0].target: expected no target for a financing (the programmes it "
            "funds have targets), found one");
}

TEST(interventions_test, places_cannot_be_targeted_by_sex) {
  EXPECT_EQ(
      first_error(kMinimal + kFund +
                  programme("coverage_subsidy", "share = 1\ntarget = { sex = [\"female\"] }\n")),
      "interventions[1].target.sex: expected one of income_group, area, regions (what a "
      "coverage_subsidy can act on), found sex");
}

TEST(interventions_test, taxes_apply_to_whole_income_groups) {
  EXPECT_EQ(first_error(kMinimal + kFund +
                        programme("affordability",
                                  "share = 1\ninstrument = \"service_tax\"\n"
                                  "target = { area = [\"rural\"] }\n")),
            "interventions[1].target.area: expected a target by income_group only (prices, and so "
            "taxes, are per income group), found area");
}

TEST(interventions_test, unknown_choice_and_target_values_are_named) {
  EXPECT_EQ(first_error(kMinimal + kFund +
                        programme("affordability", "share = 1\ninstrument = \"vouchers\"\n")),
            "interventions[1].instrument: expected one of handset_subsidy, data_subsidy, "
            "handset_tax, service_tax, found \"vouchers\"");
  EXPECT_EQ(first_error(kMinimal + kFund +
                        programme("skills", "share = 1\ntarget = { sex = [\"women\"] }\n")),
            "interventions[1].target.sex: expected one of female, male, found string \"women\"");
}

TEST(interventions_test, names_are_unique_and_dates_ordered) {
  EXPECT_EQ(first_error(kMinimal + kFund + kFund),
            "interventions[1].name: expected a name no other intervention has, found "
            "\"treasury\" again");
  EXPECT_EQ(first_error(kMinimal + "[[interventions]]\ntype = \"financing\"\nname = \"f\"\n"
                                   "start = 2030-01-01\nend = 2026-12-31\n"),
            "interventions[0].end: expected a date after start (2030-01-01), found 2026-12-31");
}
