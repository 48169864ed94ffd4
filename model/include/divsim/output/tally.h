// Weighted counts per stratum: what every output reports, summed in a fixed order.
#pragma once

#include <array>
#include <string_view>
#include <vector>

#include "divsim/world/agents.h"

namespace divsim {

/** The counts recorded per stratum and month (weighted persons). */
enum class Measure : int {
  population,
  population_10plus,
  internet_users,
  mobile_owners_10plus,
  covered_2g_plus,
  covered_3g_plus,
  covered_4g_plus,
  covered_5g,
  basic_skills,
};
inline constexpr int kMeasures = 9;

struct MeasureInfo {
  std::string_view name;
  std::string_view long_name;
};
inline constexpr std::array<MeasureInfo, kMeasures> kMeasureInfo = {{
    {"population", "population (weighted persons)"},
    {"population_10plus", "population aged 10 and over (weighted persons)"},
    {"internet_users", "individuals using the Internet (weighted persons)"},
    {"mobile_owners_10plus", "individuals aged 10 and over owning a mobile phone (weighted persons)"},
    {"covered_2g_plus", "population within reach of any mobile network (weighted persons)"},
    {"covered_3g_plus", "population covered by 3G or better (weighted persons)"},
    {"covered_4g_plus", "population covered by 4G or better (weighted persons)"},
    {"covered_5g", "population covered by 5G (weighted persons)"},
    {"basic_skills", "individuals with at least basic digital skills (weighted persons)"},
}};

/** Counts laid out as [measure][stratum]. */
using StratumCounts = std::array<double, kMeasures * kStrata>;

/**
 * Sums the measures over agents. Agents are cut into fixed blocks; each block is summed on its own
 * (in parallel) and the blocks are added in order, so the bits never depend on the thread count.
 * Buffers are allocated once, at construction.
 */
class Tally {
 public:
  explicit Tally(std::size_t agents);
  void count(const Agents& agents, StratumCounts& out);

  static constexpr std::size_t kBlock = 1 << 15;

 private:
  std::vector<double> partial_;  // blocks x kMeasures x kStrata
};

}  // namespace divsim
