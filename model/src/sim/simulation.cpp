// The monthly loop. Phases run in a fixed, documented order (docs/ODD.md); the only phase so far
// is the observation that records the state.
#include "divsim/sim/simulation.h"

namespace divsim {

Simulation::Simulation(const Scenario& scenario, const WorldPlan& plan, std::int64_t agents,
                       const RandomKey& key)
    : start_(scenario.start),
      steps_(scenario.steps()),
      agents_(synthesize(plan, scenario.parameters, agents, key)),
      tally_(agents_.size()) {}

std::vector<std::string> Simulation::phase_names() const { return {"observe"}; }

Trajectory Simulation::run(const std::function<void(int, int)>& on_step,
                           const std::atomic<bool>* stop) {
  Trajectory out;
  out.dates.reserve(steps_ + 1);
  out.records.resize(steps_ + 1);
  out.dates.push_back({start_.year, start_.month, 1});
  tally_.count(agents_, out.records[0]);
  for (int step = 1; step <= steps_; ++step) {
    if (stop && stop->load(std::memory_order_relaxed)) throw Interrupted();
    out.dates.push_back(add_months(start_, step));
    tally_.count(agents_, out.records[step]);
    if (on_step) on_step(step, steps_);
  }
  return out;
}

}  // namespace divsim
