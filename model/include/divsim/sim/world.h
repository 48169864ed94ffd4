// The state a run steps through: agents, network, and the shared state the processes keep.
#pragma once

#include <array>
#include <vector>

#include "divsim/core/civil_date.h"
#include "divsim/output/tally.h"
#include "divsim/policy/ledger.h"
#include "divsim/scenario/scenario.h"
#include "divsim/world/social_network.h"
#include "divsim/world/synthesis.h"

namespace divsim {

/** Network generations a coverage frontier is kept for: 2G, 3G, 4G, 5G. */
inline constexpr int kGenerations = 4;

/**
 * The agents whose Internet use changed in a month's sweep, chunk by chunk in id order, so that the
 * serial contact update visits them alone. A chunk with more than kPerChunk changes is marked and
 * scanned whole instead.
 */
struct ChangedAgents {
  static constexpr std::size_t kPerChunk = 2048;
  std::vector<std::uint32_t> ids;    // chunks x kPerChunk
  std::vector<std::uint32_t> count;  // per chunk; above kPerChunk: too many, scan the chunk
};

/**
 * Everything a run changes. Processes read what earlier phases of the same step wrote (for
 * example the economy's prices) and what the last observation counted (`places`).
 */
struct World {
  World(const Scenario& scenario, const WorldPlan& plan, std::int64_t agents, const RandomKey& key);

  const Scenario& scenario;
  const WorldPlan& plan;
  RandomKey key;
  double person_weight;  // persons each agent stands for: population / agents at the start
  Agents agents;
  SocialNetwork network;

  /**
   * Agents [0, sorted_by_place) are stored in place order (the start population; newcomers are
   * appended): a block of them spans the places from its first agent's to its last's, so a phase
   * with nothing to do in those places can skip the block.
   */
  std::size_t sorted_by_place = 0;
  /** Whether `any_place(p)` holds for a place the agents of [begin, end) may live in. */
  template <typename Predicate>
  bool any_place_of(std::size_t begin, std::size_t end, const Predicate& any_place) const {
    if (end > sorted_by_place) return true;
    for (std::size_t p = agents.place(begin), last = agents.place(end - 1); p <= last; ++p) {
      if (any_place(p)) return true;
    }
    return false;
  }

  int step = 0;     // the step being simulated, 1-based; 0 before the first
  CivilDate month;  // first day of the month being simulated

  // Economy: multipliers on start incomes, and prices in USD, per income group.
  std::array<double, kIncomeGroups> income_index{1, 1, 1, 1};
  std::array<double, kIncomeGroups> data_price{};           // USD per month
  std::array<double, kIncomeGroups> handset_price{};        // USD
  std::array<double, kIncomeGroups> data_price_at_start{};  // USD per month at start incomes

  // Coverage: per place, the remoteness rank below which each generation reaches.
  std::vector<std::array<double, kGenerations>> frontier;
  // Per place, the remoteness ranks [lo, hi) some frontier passed this step (empty if none):
  // the agents there are re-levelled in the sweep. Reset by the coverage process each step.
  std::vector<std::array<double, 2>> coverage_band;
  bool coverage_moved = false;
  void widen_coverage_band(std::size_t place, double from, double to) {
    if (!(to > from)) return;
    auto& band = coverage_band[place];
    band = band[1] > band[0] ? std::array{std::min(band[0], from), std::max(band[1], to)}
                             : std::array{from, to};
    coverage_moved = true;
  }

  // Schools: per place, the remoteness rank below which schools are connected, at the start and
  // now (a school ranks like the people around it).
  std::vector<double> school_start, school_frontier;
  bool schools_moved = false;  // some place has schools connected during the run

  /** The school frontiers as a hot loop reads them (copied into a local, like Agents::View). */
  struct SchoolBands {
    bool moved;
    const double* start;
    const double* frontier;
    /** Whether agent `i` is of school age (6 to 17) at a school connected during the run. */
    bool pupil(const Agents::View& v, std::size_t i) const {
      const int age = v.age_months[i];
      if (!moved || age < 72 || age >= 216) return false;
      const int p = place_of(v.region[i], v.traits[i] & trait::rural);
      const double r = v.remoteness[i];
      return r >= start[p] && r < frontier[p];
    }
  };
  SchoolBands school_bands() const {
    return {schools_moved, school_start.data(), school_frontier.data()};
  }

  // Policy: the money ledger, and the factor on the data price of each data-voucher slot (slot 0:
  // no voucher; slots 1 .. voucher_slots belong to data-subsidy programmes).
  Ledger ledger;
  std::array<double, 256> voucher_factor{};
  int voucher_slots = 0;

  // The last observation: per place, weighted people and Internet users (see Tally).
  std::vector<double> places;
  StratumCounts counts{};

  /** Agents whose Internet use changed this step, to update their contacts' counts. */
  void mark_changed(std::size_t i) { agents.status[i] |= status::changed; }
  ChangedAgents changed;  // filled by the engine's sweep
};

}  // namespace divsim
