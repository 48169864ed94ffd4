#include <gtest/gtest.h>

#include "divsim/scenario/history.h"
#include "expect_error.h"
#include "scenario_text.h"

using namespace divsim;

namespace {

const std::string kHeader = "year,parameter,value,tag,source\n";

History parse(const std::string& rows) {
  return History::parse(kHeader + rows, "h.csv", ParameterTable::builtin());
}

}  // namespace

TEST(history_test, values_are_linear_between_mid_years_and_absent_outside) {
  const History h = parse(
      "2010,start.coverage_3g_plus.world,30,A,x\n"
      "2005,start.coverage_3g_plus.world,10,A,x\n");
  EXPECT_EQ(h.series("start.coverage_3g_plus.world")->front().year, 2005);  // sorted
  EXPECT_DOUBLE_EQ(*h.value_at("start.coverage_3g_plus.world", mid_year_month(2005)), 10);
  EXPECT_DOUBLE_EQ(*h.value_at("start.coverage_3g_plus.world", mid_year_month(2010)), 30);
  EXPECT_DOUBLE_EQ(*h.value_at("start.coverage_3g_plus.world", mid_year_month(2007) + 6), 20);
  EXPECT_FALSE(h.value_at("start.coverage_3g_plus.world", mid_year_month(2005) - 1));
  EXPECT_FALSE(h.value_at("start.coverage_3g_plus.world", mid_year_month(2010) + 1));
  EXPECT_FALSE(h.value_at("start.coverage_4g_plus.world", mid_year_month(2007)));
}

TEST(history_test, a_figure_the_table_lacks_is_a_percent_of_a_start_indicator) {
  const History h = parse("2005,start.internet_use.income_group.upper_middle_income,10,D,x\n");
  EXPECT_TRUE(h.series("start.internet_use.income_group.upper_middle_income"));
}

TEST(history_test, bad_rows_name_the_file_line_and_column) {
  EXPECT_THROW_MSG(parse("2005,adoption.innovation,0.1,A,x\n"), InputErrors,
                   "h.csv:2: parameter: expected a start.<indicator>.* figure, "
                   "income.mean_monthly_usd.*, economy.data_price_share.* or "
                   "economy.handset_price_usd.* parameter of the table, found "
                   "\"adoption.innovation\"");
  EXPECT_THROW_MSG(parse("2005,start.internet_use.world,120,S,x\n"), InputErrors,
                   "h.csv:2: value: expected start.internet_use.world in [0, 100], found 120");
  EXPECT_THROW_MSG(
      parse("2005,start.internet_use.world,15,S,x\n2005,start.internet_use.world,16,S,y\n"),
      InputErrors,
      "h.csv:3: year: expected each year once for start.internet_use.world, found "
      "2005 again (first at line 2)");
  EXPECT_THROW_MSG(parse("2005.5,start.internet_use.world,15,S,x\n"), InputErrors,
                   "h.csv:2: year: expected a year in [1900, 2200], found 2005.5");
  EXPECT_THROW_MSG(
      parse("2005,start.internet_use.world,15,S,\n"), InputErrors,
      "h.csv:2: source: expected the source of start.internet_use.world, found nothing");
}

TEST(history_test, a_scenario_may_not_set_what_its_history_gives) {
  try {
    test::parse(
        "[scenario]\nname = \"t\"\n[time]\nstart = 2005-07-01\nend = 2010-12-31\n"
        "[world]\nagents = 100\nregions = \"../calibration/regions.csv\"\n"
        "population = \"../calibration/population_wpp2024.csv\"\n"
        "history = \"../calibration/history.csv\"\n"
        "[parameters]\nincome.mean_monthly_usd.low_income = 50\n"
        "start.internet_use.world = 20\n");
    FAIL() << "expected InputErrors";
  } catch (const InputErrors& e) {
    const std::string scenario = source_path("scenarios/test.toml");
    const std::string history = source_path("calibration/history.csv");
    ASSERT_EQ(e.errors().size(), 2u) << e.what();
    EXPECT_EQ(std::string(e.errors()[0].what()),
              scenario + ":13:28: parameters.start.internet_use.world: expected no start figure: " +
                  history + " gives the figures of 2005, found one");
    EXPECT_EQ(std::string(e.errors()[1].what()),
              scenario + ":12:38: parameters.income.mean_monthly_usd.low_income: expected no " +
                  "value: " + history +
                  " gives income.mean_monthly_usd.low_income year by year, found one");
  }
}

TEST(history_test, drivers_take_their_recorded_value_at_the_start) {
  const Scenario s = test::parse(
      "[scenario]\nname = \"t\"\n[time]\nstart = 2005-07-01\nend = 2010-12-31\n"
      "[world]\nagents = 100\nregions = \"../calibration/regions.csv\"\n"
      "population = \"../calibration/population_wpp2024.csv\"\n"
      "history = \"../calibration/history.csv\"\n");
  EXPECT_DOUBLE_EQ(s.parameters.get("income.mean_monthly_usd.low_income"),
                   s.history.series("income.mean_monthly_usd.low_income")->front().value);
  EXPECT_EQ(s.history.series("income.mean_monthly_usd.low_income")->front().year, 2005);
}

TEST(history_test, a_start_before_the_record_is_refused) {
  try {
    test::parse(
        "[scenario]\nname = \"t\"\n[time]\nstart = 2003-07-01\nend = 2010-12-31\n"
        "[world]\nagents = 100\nregions = \"../calibration/regions.csv\"\n"
        "population = \"../calibration/population_wpp2024.csv\"\n"
        "history = \"../calibration/history.csv\"\n");
    FAIL() << "expected InputErrors";
  } catch (const InputErrors& e) {
    ASSERT_FALSE(e.errors().empty());
    EXPECT_NE(e.errors().front().message().find("expected a value at the start date 2003-07-01, "
                                                "found years 2005 to 2024"),
              std::string::npos)
        << e.what();
  }
}
