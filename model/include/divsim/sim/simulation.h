// A run: the frozen world, the ordered monthly phases, and the recorded trajectory.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "divsim/core/civil_date.h"
#include "divsim/output/tally.h"
#include "divsim/processes/process.h"
#include "divsim/scenario/scenario.h"
#include "divsim/sim/world.h"

namespace divsim {

/** What a run records: the state at the start date and after every monthly step. */
struct Trajectory {
  std::vector<CivilDate> dates;        // first day of each recorded month
  std::vector<StratumCounts> records;  // one per date
};

/** Thrown when a stop was requested (SIGINT, SIGTERM) between steps. */
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/**
 * Advances `world` by one month: every process's prepare(), the sweep over agents (each block
 * through every process's update(), then counted), every process's finish() (births), then
 * `contacts` (contacts learn who went on- or offline, serially in id order) and `observe` (the
 * weighted counts go to `record` and to world.places and world.counts).
 */
void advance(World& world, const std::vector<std::unique_ptr<Process>>& processes, Tally& tally,
             StratumCounts& record);

/**
 * One simulation of a scenario. Construction builds the world (agents and network) and the
 * processes, then freezes the parameters; run() steps month by month through the phases:
 * the processes in registry order, then `contacts` (contacts learn who went on- or offline),
 * then `observe` (the weighted counts are recorded).
 */
class Simulation {
 public:
  Simulation(const Scenario& scenario, const WorldPlan& plan, std::int64_t agents,
             const RandomKey& key);

  const World& world() const noexcept { return world_; }
  const Agents& agents() const noexcept { return world_.agents; }
  int steps() const noexcept { return steps_; }
  /** Bytes per agent of agent state plus network, at the start. */
  double bytes_per_agent() const;

  /** The names of the monthly phases, in the order they run. */
  std::vector<std::string> phase_names() const;

  /**
   * Runs every step. `on_step(done, total)` is called after each; a true `*stop` between steps
   * throws Interrupted.
   */
  Trajectory run(const std::function<void(int, int)>& on_step, const std::atomic<bool>* stop);

 private:
  int steps_ = 0;
  World world_;
  std::vector<std::unique_ptr<Process>> processes_;
  Tally tally_;
};

}  // namespace divsim
