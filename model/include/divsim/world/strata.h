// The dimensions that split the population: income group, area, sex, age band, disability.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace divsim {

inline constexpr int kIncomeGroups = 4;
inline constexpr int kAreas = 2;
inline constexpr int kSexes = 2;
inline constexpr int kAgeBands = 6;
inline constexpr int kDisabilityStates = 2;
inline constexpr int kStrata = kIncomeGroups * kAreas * kSexes * kAgeBands * kDisabilityStates;

/** Labels written to outputs, in index order. */
inline constexpr std::array<std::string_view, kIncomeGroups> kIncomeGroupLabels = {
    "high", "upper_middle", "lower_middle", "low"};
/** Keys used in the parameter table and population data (WPP group names). */
inline constexpr std::array<std::string_view, kIncomeGroups> kIncomeGroupKeys = {
    "high_income", "upper_middle_income", "lower_middle_income", "low_income"};
inline constexpr std::array<std::string_view, kAreas> kAreaLabels = {"urban", "rural"};
inline constexpr std::array<std::string_view, kSexes> kSexLabels = {"female", "male"};
inline constexpr std::array<std::string_view, kAgeBands> kAgeBandLabels = {
    "0-9", "10-14", "15-24", "25-49", "50-64", "65+"};
inline constexpr std::array<std::string_view, kAgeBands> kAgeBandKeys = {
    "0_9", "10_14", "15_24", "25_49", "50_64", "65_plus"};
inline constexpr std::array<std::string_view, kDisabilityStates> kDisabilityLabels = {"without",
                                                                                      "with"};
/** First year of age in each band; the last band ends at kMaxAgeYears. */
inline constexpr std::array<int, kAgeBands> kAgeBandStartYears = {0, 10, 15, 25, 50, 65};
inline constexpr int kMaxAgeYears = 100;

/** One combination of the dimensions. */
struct StratumKey {
  int income_group = 0;
  int area = 0;
  int sex = 0;
  int age_band = 0;
  int disability = 0;
};

constexpr int stratum_index(const StratumKey& k) {
  return (((k.income_group * kAreas + k.area) * kSexes + k.sex) * kAgeBands + k.age_band) *
             kDisabilityStates +
         k.disability;
}

constexpr StratumKey stratum_key(int index) {
  StratumKey k;
  k.disability = index % kDisabilityStates;
  index /= kDisabilityStates;
  k.age_band = index % kAgeBands;
  index /= kAgeBands;
  k.sex = index % kSexes;
  index /= kSexes;
  k.area = index % kAreas;
  k.income_group = index / kAreas;
  return k;
}

/** The band of an age in whole years (ages past the last band stay in it). */
constexpr int age_band_of(int years) {
  int band = 0;
  for (int b = 1; b < kAgeBands; ++b) {
    if (years >= kAgeBandStartYears[b]) band = b;
  }
  return band;
}

/** Index of an income-group key (`high_income`) or label (`high`), or -1. */
int income_group_index(std::string_view name);

}  // namespace divsim
