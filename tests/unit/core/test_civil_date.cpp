#include <gtest/gtest.h>

#include "divsim/core/civil_date.h"

using namespace divsim;

TEST(civil_date_test, epoch_and_known_days) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2025, 1, 1}), 20089);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
}

TEST(civil_date_test, validity_knows_leap_years) {
  EXPECT_TRUE(is_valid_date({2024, 2, 29}));
  EXPECT_FALSE(is_valid_date({2025, 2, 29}));
  EXPECT_FALSE(is_valid_date({1900, 2, 29}));
  EXPECT_TRUE(is_valid_date({2000, 2, 29}));
  EXPECT_FALSE(is_valid_date({2025, 13, 1}));
  EXPECT_FALSE(is_valid_date({2025, 4, 31}));
}

TEST(civil_date_test, months) {
  EXPECT_EQ(add_months({2025, 1, 1}, 12), (CivilDate{2026, 1, 1}));
  EXPECT_EQ(add_months({2025, 11, 1}, 2), (CivilDate{2026, 1, 1}));
  EXPECT_EQ(add_months({2025, 1, 15}, 1), (CivilDate{2025, 2, 1}));
  EXPECT_EQ(months_between({2025, 1, 1}, {2035, 12, 31}), 131);
  EXPECT_EQ(to_iso({2035, 7, 1}), "2035-07-01");
}
