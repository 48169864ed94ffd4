#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "divsim/core/random.h"

using namespace divsim;

TEST(random_test, draws_are_pure_functions_of_key_and_counter) {
  const RandomKey key{42, 3};
  EXPECT_EQ(random_words(key, 7, 5, Purpose::test_only),
            random_words(key, 7, 5, Purpose::test_only));
  std::set<std::uint64_t> first_words;
  first_words.insert(random_words(key, 7, 5, Purpose::test_only)[0]);
  first_words.insert(random_words(key, 8, 5, Purpose::test_only)[0]);
  first_words.insert(random_words(key, 7, 6, Purpose::test_only)[0]);
  first_words.insert(random_words(key, 7, 5, Purpose::start_age)[0]);
  first_words.insert(random_words({42, 4}, 7, 5, Purpose::test_only)[0]);
  first_words.insert(random_words({43, 3}, 7, 5, Purpose::test_only)[0]);
  EXPECT_EQ(first_words.size(), 6u)
      << "agent, step, purpose, seed and replicate each change the draw";
}

TEST(random_test, open_unit_stays_inside_the_interval) {
  EXPECT_GT(open_unit(0), 0.0);
  EXPECT_LT(open_unit(~std::uint64_t{0}), 1.0);
}

TEST(random_test, uniform_moments_within_sampling_noise) {
  const int n = 1'000'000;
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double u = open_unit(random_words({1, 0}, i, 0, Purpose::test_only)[0]);
    sum += u;
    sum_sq += u * u;
  }
  const double mean = sum / n, var = sum_sq / n - mean * mean;
  // Standard errors: sqrt(1/12/n) for the mean, sqrt(1/180/n) for the variance; allow 5 of them.
  EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(var, 1.0 / 12, 5 * std::sqrt(1.0 / 180 / n));
}

TEST(random_test, normal_quantile_matches_reference_values) {
  EXPECT_NEAR(normal_quantile(0.5), 0.0, 1e-12);
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 5e-9);
  EXPECT_NEAR(normal_quantile(0.025), -1.959963984540054, 5e-9);
  EXPECT_NEAR(normal_quantile(0.001), -3.090232306167813, 5e-9);
  EXPECT_NEAR(normal_quantile(1e-9), -5.997807015007687, 1e-7);
}
