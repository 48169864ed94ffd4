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
  births,
  deaths,
  immigrants,
};
inline constexpr int kMeasures = 12;

struct MeasureInfo {
  std::string_view name;
  std::string_view long_name;
};
inline constexpr std::array<MeasureInfo, kMeasures> kMeasureInfo = {{
    {"population", "population (weighted persons)"},
    {"population_10plus", "population aged 10 and over (weighted persons)"},
    {"internet_users", "individuals using the Internet (weighted persons)"},
    {"mobile_owners_10plus",
     "individuals aged 10 and over owning a mobile phone (weighted persons)"},
    {"covered_2g_plus", "population within reach of any mobile network (weighted persons)"},
    {"covered_3g_plus", "population covered by 3G or better (weighted persons)"},
    {"covered_4g_plus", "population covered by 4G or better (weighted persons)"},
    {"covered_5g", "population covered by 5G (weighted persons)"},
    {"basic_skills", "individuals with at least basic digital skills (weighted persons)"},
    {"births", "births during the month ending at the date (weighted persons)"},
    {"deaths",
     "deaths during the month ending at the date, by the stratum at death (weighted persons)"},
    {"immigrants", "immigrants arrived during the month ending at the date (weighted persons)"},
}};

/** Counts laid out as [measure][stratum]. */
using StratumCounts = std::array<double, kMeasures * kStrata>;

/** Per place (region x area): weighted people and Internet users, laid out [place][2]. */
inline constexpr int kPlaceMeasures = 2;

/**
 * Sums the measures over agents. Each agent adds its weight to one bin of a histogram over
 * (stratum, state), where the state combines everything the measures ask of it (age class, use,
 * ownership, coverage, skills; born, arrived or died this month); the bins are expanded into
 * measures once per month. Sums are kept per slot (a chunk of agents, kAgentChunk) and the slots
 * are added in order, so the bits never depend on the thread count. Buffers grow with the
 * population and are otherwise reused.
 */
class Tally {
 public:
  explicit Tally(std::size_t regions);

  /** Room for `slots` slots of sums. Not thread-safe: call before adding in parallel. */
  void reserve(std::size_t slots);
  /**
   * Adds agents [begin, end) as they are after `step` (0: the start) to slot `slot`, which is
   * cleared first when `first`. Different slots may be added to in parallel.
   */
  void add(const Agents& agents, int step, std::size_t slot, std::size_t begin, std::size_t end,
           bool first);
  /** Sums slots [0, slots) in order; `places` gets kPlaceMeasures values per place if not null. */
  void reduce(std::size_t slots, StratumCounts& out, std::vector<double>* places);

  /** Counts every agent: reserve, add by chunk in parallel, reduce. */
  void count(const Agents& agents, int step, StratumCounts& out,
             std::vector<double>* places = nullptr);

 private:
  std::size_t places_;
  std::vector<double> partial_;         // slots x kStrata x states
  std::vector<double> partial_places_;  // slots x places x kPlaceMeasures
  std::vector<double> bins_;            // kStrata x states, all slots
};

}  // namespace divsim
