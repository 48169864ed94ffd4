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

/** Per place (region x area): weighted people and Internet users, laid out [place][2]. */
inline constexpr int kPlaceMeasures = 2;
inline int place_of(int region, bool rural) { return 2 * region + (rural ? 1 : 0); }

/**
 * Sums the measures over agents. Agents are cut into fixed blocks; each block is summed on its own
 * (in parallel) and the blocks are added in order, so the bits never depend on the thread count.
 * Buffers are allocated once, at construction.
 */
class Tally {
 public:
  Tally(std::size_t agents, std::size_t regions);
  /** Counts living agents; `places` gets kPlaceMeasures values per place when not null. */
  void count(const Agents& agents, StratumCounts& out, std::vector<double>* places = nullptr);

  static constexpr std::size_t kBlock = 1 << 15;

 private:
  std::size_t places_;
  std::vector<double> partial_;        // blocks x kMeasures x kStrata
  std::vector<double> partial_places_;  // blocks x places x kPlaceMeasures
};

}  // namespace divsim
