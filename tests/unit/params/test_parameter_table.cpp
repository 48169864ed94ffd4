#include <gtest/gtest.h>

#include <regex>

#include "divsim/core/csv.h"
#include "divsim/params/parameter_table.h"
#include "expect_error.h"

using namespace divsim;

TEST(parameter_table_test, builtin_table_parses_and_every_row_is_sourced) {
  const ParameterTable& table = ParameterTable::builtin();
  ASSERT_GT(table.specs().size(), 50u);
  for (const auto& spec : table.specs()) {
    EXPECT_FALSE(spec.unit.empty()) << spec.name;
    EXPECT_FALSE(spec.source.empty()) << spec.name;
    EXPECT_LE(spec.min, spec.default_value) << spec.name;
    EXPECT_LE(spec.default_value, spec.max) << spec.name;
  }
}

TEST(parameter_table_test, builtin_table_is_the_calibration_file) {
  const CsvTable file = read_csv_file(source_path("calibration/parameters.csv"));
  EXPECT_EQ(file.rows.size(), ParameterTable::builtin().specs().size())
      << "the engine was built from an older calibration/parameters.csv: rebuild";
}

// A parameter that cites a draft figure must carry that figure and its paragraph.
TEST(parameter_table_test, draft_citations_match_the_draft_figures) {
  const CsvTable draft = read_csv_file(source_path("calibration/draft_baselines.csv"));
  const std::regex cite(R"(^draft para (\d+) \(([a-z0-9_]+)\)$)");
  int cited = 0;
  for (const auto& spec : ParameterTable::builtin().specs()) {
    std::smatch m;
    if (!std::regex_match(spec.source, m, cite)) continue;
    ++cited;
    bool found = false;
    for (const auto& row : draft.rows) {
      if (row.fields[draft.column("id")] != m[2].str()) continue;
      found = true;
      EXPECT_EQ(row.fields[draft.column("paragraph")], m[1].str()) << spec.name;
      EXPECT_DOUBLE_EQ(csv_number(draft, row, draft.column("value")), spec.default_value)
          << spec.name;
    }
    EXPECT_TRUE(found) << spec.name << " cites unknown draft figure " << m[2];
  }
  EXPECT_GE(cited, 9);
}

TEST(parameter_table_test, rows_are_checked) {
  const std::string head = "name,unit,default,min,max,description,source\n";
  EXPECT_THROW_MSG(ParameterTable::parse(head + "a,1,2,0,1,d,s\n", "p.csv"), InputError,
                   "p.csv:2: a: expected a default in [0, 1], found 2");
  EXPECT_THROW_MSG(ParameterTable::parse(head + "a,1,0.5,0,1,d,\n", "p.csv"), InputError,
                   "p.csv:2: a: expected a unit, a description and a source, found a gap");
  EXPECT_THROW_MSG(ParameterTable::parse(head + "a,1,0.5,0,1,d,s\na,1,0.5,0,1,d,s\n", "p.csv"),
                   InputError, "p.csv:3: a: expected a unique name, found a second row");
}

TEST(parameter_table_test, set_checks_name_and_bounds) {
  ParameterSet params(ParameterTable::builtin());
  const SourceLocation where{"s.toml", 4, 7};
  EXPECT_THROW_MSG(
      params.set("population.female_share", 0.9, where, "parameters.population.female_share"),
      InputError,
      "s.toml:4:7: parameters.population.female_share: expected a number in [0.4, 0.6] "
      "(fraction), found 0.9");
  EXPECT_THROW_MSG(
      params.set("no.such", 1, where, "parameters.no.such"), InputError,
      "s.toml:4:7: parameters.no.such: expected a parameter from the table (see divsim "
      "params), found \"no.such\"");
  params.set("population.female_share", 0.5, where, "parameters.population.female_share");
  EXPECT_EQ(params.get("population.female_share"), 0.5);
  ASSERT_EQ(params.overrides().size(), 1u);
  ASSERT_NE(params.override_location("population.female_share"), nullptr);
  EXPECT_EQ(params.override_location("population.female_share")->line, 4);
}

TEST(parameter_table_test, markdown_lists_every_parameter) {
  const ParameterTable& table = ParameterTable::builtin();
  const std::string md = table.to_markdown();
  for (const auto& spec : table.specs()) {
    EXPECT_NE(md.find("| `" + spec.name + "` |"), std::string::npos) << spec.name;
  }
}
