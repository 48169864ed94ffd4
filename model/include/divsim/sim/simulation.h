// A run: the frozen world, the ordered monthly phases, and the recorded trajectory.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "divsim/core/civil_date.h"
#include "divsim/output/tally.h"
#include "divsim/scenario/scenario.h"
#include "divsim/world/synthesis.h"

namespace divsim {

/** What a run records: the state at the start date and after every monthly step. */
struct Trajectory {
  std::vector<CivilDate> dates;         // first day of each recorded month
  std::vector<StratumCounts> records;   // one per date
};

/** Thrown when a stop was requested (SIGINT, SIGTERM) between steps. */
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/**
 * One simulation of a scenario. Construction builds and freezes the world; run() steps it month
 * by month through the phases in order, recording after each step.
 */
class Simulation {
 public:
  Simulation(const Scenario& scenario, const WorldPlan& plan, std::int64_t agents,
             const RandomKey& key);

  const Agents& agents() const noexcept { return agents_; }
  int steps() const noexcept { return steps_; }

  /** The names of the monthly phases, in the order they run. */
  std::vector<std::string> phase_names() const;

  /**
   * Runs every step. `on_step(done, total)` is called after each; a true `*stop` between steps
   * throws Interrupted.
   */
  Trajectory run(const std::function<void(int, int)>& on_step, const std::atomic<bool>* stop);

 private:
  CivilDate start_;
  int steps_ = 0;
  Agents agents_;
  Tally tally_;
};

}  // namespace divsim
