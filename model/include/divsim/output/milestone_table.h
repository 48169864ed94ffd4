// The review milestones (2026, 2027, 2030, 2035) picked out of a trajectory, and their table.
#pragma once

#include <string>
#include <vector>

#include "divsim/policy/ledger.h"
#include "divsim/sim/simulation.h"

namespace divsim {

/** A milestone year and the record that represents it. */
struct MilestonePoint {
  int year = 0;
  CivilDate date;
  std::size_t record = 0;
};

/**
 * The record of each milestone year, read on the first day of `month` of that year; years outside
 * the run are left out.
 */
std::vector<MilestonePoint> milestone_points(const Trajectory& trajectory,
                                             const std::vector<int>& years, int month);

/** A rate in percent: the sum of `measure` over the strata that `select` accepts, over `base`. */
double percent(const StratumCounts& counts, Measure measure, Measure base,
               bool (*select)(int stratum));

/**
 * The milestone table printed by `divsim run`: Internet use by group and the world's other
 * indicators, at the start and at each milestone, in percent.
 */
std::string format_milestone_table(const std::string& title, const Trajectory& trajectory,
                                   const std::vector<MilestonePoint>& points);

/**
 * The money table printed by `divsim run` when the scenario has funds: million USD collected and
 * spent from the start to each milestone, by use and by source, and what the funds still hold.
 * Empty when the ledger has no source.
 */
std::string format_money_table(const Ledger& ledger, const std::vector<MilestonePoint>& points);

}  // namespace divsim
