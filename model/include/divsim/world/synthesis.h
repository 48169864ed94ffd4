// Building the synthetic population at the start date.
#pragma once

#include <vector>

#include "divsim/core/random.h"
#include "divsim/scenario/scenario.h"
#include "divsim/world/agents.h"
#include "divsim/world/region_table.h"
#include "divsim/world/start_targets.h"

namespace divsim {

/** Everything decided before any agent exists: regions, cells, fitted start rates. */
struct WorldPlan {
  std::vector<Region> regions;
  std::vector<WorldCell> cells;
  StartFit fit;
  /** Coverage fitted to the history's later years (empty without a history). */
  std::vector<CoverageAnchor> coverage_history;
  double population = 0;  // persons

  /** Agents allotted to each cell for `agents` in total (largest remainder, deterministic). */
  std::vector<std::int64_t> allot(std::int64_t agents) const;
};

/** Loads the scenario's data files and fits the start figures. Throws InputError or RuntimeFailure.
 */
WorldPlan plan_world(const Scenario& scenario);

/**
 * Creates `agents` agents for the plan, stored by neighbourhood (see neighbourhood_order). Each
 * agent's draws are pure functions of the key and its id, so the result is the same on any number
 * of threads. `capacity` reserves room for agents born later, so the arrays need not move.
 */
Agents synthesize(const WorldPlan& plan, const ParameterSet& params, std::int64_t agents,
                  const RandomKey& key, std::size_t capacity = 0);

}  // namespace divsim
