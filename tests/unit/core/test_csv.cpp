#include <gtest/gtest.h>

#include "divsim/core/csv.h"
#include "expect_error.h"

using namespace divsim;

TEST(csv_test, comments_quotes_and_line_numbers) {
  const CsvTable t =
      parse_csv("# a comment\n# another\nname,text\na,\"x, \"\"y\"\"\"\n\nb,z\n", "t.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"name", "text"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].fields[1], "x, \"y\"");
  EXPECT_EQ(t.rows[0].line, 4);
  EXPECT_EQ(t.rows[1].line, 6);
}

TEST(csv_test, wrong_field_count_names_the_line) {
  EXPECT_THROW_MSG(parse_csv("a,b\n1,2\n3\n", "t.csv"), InputError,
                   "t.csv:3: expected 2 fields, found 1");
}

TEST(csv_test, bad_number_names_line_and_column) {
  const CsvTable t = parse_csv("a,b\n1,x2\n", "t.csv");
  EXPECT_THROW_MSG(csv_number(t, t.rows[0], 1), InputError,
                   "t.csv:2: b: expected a number, found \"x2\"");
  EXPECT_DOUBLE_EQ(csv_number(t, t.rows[0], 0), 1.0);
}

TEST(csv_test, missing_column) {
  const CsvTable t = parse_csv("a,b\n", "t.csv");
  EXPECT_THROW_MSG(t.column("c"), InputError,
                   "t.csv:1: c: expected a column named \"c\", found none");
}

TEST(csv_test, missing_file) {
  EXPECT_THROW_MSG(read_csv_file("/nonexistent/x.csv"), InputError,
                   "/nonexistent/x.csv: cannot open file");
}
