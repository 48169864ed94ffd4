// Buying frontier advances in remoteness rank: the nearest people first, the remotest costing most.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "divsim/policy/ledger.h"

namespace divsim::detail {

/** How far a frontier may go: remoteness ranks are below 1, and the last person costs most. */
inline constexpr double kMaxFrontier = 1 - 1e-6;

/** The price of advancing frontiers: USD per person at rank r is `cost0` (1 - r)^-exponent. */
struct FrontierPrice {
  double cost0 = 0;
  double exponent = 0;
  double max_step = 0;  // rank per month and place

  /** USD per person of the place to move a frontier from `from` to `to`. */
  double cost(double from, double to) const;
  /** The frontier reached from `from` with `usd` per person of the place. */
  double reach(double from, double usd) const;
};

/** A place a programme may advance: its frontier and its people (persons). */
struct FrontierSite {
  std::size_t place;
  double frontier;
  double people;
};

/**
 * Spends at most `budget` cents on advancing the sites' frontiers, least remote frontier first
 * (ties by place), each by at most price.max_step; calls `moved(place, to)` for each
 * advance. Returns the cents spent; `persons` gets the persons newly reached.
 */
Cents buy_frontiers(std::vector<FrontierSite> sites, const FrontierPrice& price, Cents budget,
                    double& persons, const std::function<void(std::size_t, double)>& moved);

}  // namespace divsim::detail
