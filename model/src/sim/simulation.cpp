// The monthly loop: processes in registry order, then contacts, then observation.
#include "divsim/sim/simulation.h"

#include "processes/parallel.h"

namespace divsim {

World::World(const Scenario& s, const WorldPlan& p, std::int64_t n, const RandomKey& k)
    : scenario(s),
      plan(p),
      key(k),
      person_weight(p.population / static_cast<double>(n)),
      agents(synthesize(p, s.parameters, n, k)),
      network(agents, p.regions.size(), s.parameters, k),
      month(s.start) {
  Agents& a = agents;
  detail::for_agents(a.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      std::uint16_t online = 0;
      for (std::uint32_t j : network.contacts(i)) online += a.online(j) ? 1 : 0;
      a.online_contacts[i] = online;
    }
  });
}

Simulation::Simulation(const Scenario& scenario, const WorldPlan& plan, std::int64_t agents,
                       const RandomKey& key)
    : steps_(scenario.steps()),
      world_(scenario, plan, agents, key),
      processes_(make_processes(scenario.parameters)),
      tally_(world_.agents.size(), plan.regions.size()) {
  for (auto& process : processes_) process->initialize(world_);
}

double Simulation::bytes_per_agent() const {
  const double n = static_cast<double>(world_.agents.size());
  return static_cast<double>(Agents::bytes_per_agent()) + world_.network.bytes() / n;
}

std::vector<std::string> Simulation::phase_names() const {
  std::vector<std::string> names;
  for (const auto& p : processes_) names.emplace_back(p->name());
  names.emplace_back("contacts");
  names.emplace_back("observe");
  return names;
}

void Simulation::update_contacts() {
  // Serial and in id order: each change adds or removes one online contact of every neighbour.
  Agents& a = world_.agents;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a.status[i] & status::changed)) continue;
    a.status[i] &= static_cast<std::uint8_t>(~status::changed);
    const bool online = a.alive(i) && a.online(i);
    for (std::uint32_t j : world_.network.contacts(i)) {
      a.online_contacts[j] = static_cast<std::uint16_t>(a.online_contacts[j] + (online ? 1 : -1));
    }
  }
}

Trajectory Simulation::run(const std::function<void(int, int)>& on_step,
                           const std::atomic<bool>* stop) {
  const CivilDate start = world_.scenario.start;
  Trajectory out;
  out.dates.reserve(steps_ + 1);
  out.records.resize(steps_ + 1);
  out.dates.push_back({start.year, start.month, 1});
  tally_.count(world_.agents, out.records[0], &world_.places);
  for (int step = 1; step <= steps_; ++step) {
    if (stop && stop->load(std::memory_order_relaxed)) throw Interrupted();
    world_.step = step;
    world_.month = add_months(start, step - 1);
    for (auto& process : processes_) process->step(world_);
    update_contacts();
    out.dates.push_back(add_months(start, step));
    tally_.count(world_.agents, out.records[step], &world_.places);
    if (on_step) on_step(step, steps_);
  }
  return out;
}

}  // namespace divsim
