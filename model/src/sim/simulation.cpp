// The monthly loop: processes in registry order, then contacts, then observation.
#include "divsim/sim/simulation.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>

#include "processes/parallel.h"

namespace divsim {
namespace {

/**
 * Room to reserve for the agents of a run, the dead included: the start population grown as the
 * projections grow to the end year, plus a margin for deaths (replaced by births) of 1.2% a year,
 * above the world's crude death rate. More births than that only make the arrays move once.
 */
std::size_t expected_agents(const Scenario& s, const WorldPlan& plan, std::int64_t n) {
  double start = 0, end = 0;
  for (const Region& r : plan.regions) {
    double at_end = r.population;
    for (const auto& [year, persons] : r.projection) {
      if (year <= s.end.year) at_end = persons;
    }
    start += r.population;
    end += at_end;
  }
  const double years = s.steps() / 12.0;
  const double growth = start > 0 ? std::max(1.0, end / start) : 1.0;
  return static_cast<std::size_t>(static_cast<double>(n) * (growth + 0.012 * years)) + 1024;
}

}  // namespace

World::World(const Scenario& s, const WorldPlan& p, std::int64_t n, const RandomKey& k)
    : scenario(s),
      plan(p),
      key(k),
      person_weight(p.population / static_cast<double>(n)),
      agents(synthesize(p, s.parameters, n, k, expected_agents(s, p, n))),
      network(agents, p.regions.size(), s.parameters, k),
      month(s.start) {
  sorted_by_place = agents.size();
  for (std::size_t i = 1; i < agents.size(); ++i) {
    if (agents.place(i) < agents.place(i - 1)) {
      sorted_by_place = 0;
      break;
    }
  }
  const Agents::View agents_view = agents.view();
  const SocialNetwork::Rows rows = network.rows();
  detail::for_agents(agents.size(), [&](std::size_t begin, std::size_t end) {
    const Agents::View v = agents_view;
    for (std::size_t i = begin; i < end; ++i) {
      std::uint16_t online = 0;
      for (std::uint32_t j : rows.contacts(i)) online += v.online(j) ? 1 : 0;
      v.online_contacts[i] = online;
    }
  });
}

Simulation::Simulation(const Scenario& scenario, const WorldPlan& plan, std::int64_t agents,
                       const RandomKey& key)
    : steps_(scenario.steps()),
      world_(scenario, plan, agents, key),
      processes_(make_processes(scenario.parameters)),
      tally_(plan.regions.size()) {
  for (auto& process : processes_) process->initialize(world_);
}

double Simulation::bytes_per_agent() const {
  // Per agent at the start: the network holds the agents of the start only.
  const double n = static_cast<double>(world_.network.agents());
  const std::size_t state =
      Agents::bytes_per_agent() +
      (world_.agents.voucher.empty() ? 0 : Agents::programme_bytes_per_agent());
  return static_cast<double>(state) + world_.network.bytes() / n;
}

std::vector<std::string> Simulation::phase_names() const {
  std::vector<std::string> names;
  for (const auto& p : processes_) names.emplace_back(p->name());
  names.emplace_back("contacts");
  names.emplace_back("observe");
  return names;
}

namespace {

/** Notes the agents of [begin, end) whose Internet use changed, in the chunk's list. */
void collect_changed(World& world, std::size_t chunk, std::size_t begin, std::size_t end) {
  const std::uint8_t* const status = world.agents.status.data();
  std::uint32_t* const ids = world.changed.ids.data() + chunk * ChangedAgents::kPerChunk;
  std::uint32_t count = world.changed.count[chunk];
  for (std::size_t i = begin; i < end; ++i) {
    if (!(status[i] & status::changed)) continue;
    if (count < ChangedAgents::kPerChunk) ids[count] = static_cast<std::uint32_t>(i);
    ++count;
  }
  world.changed.count[chunk] = count;
}

// Serial and in id order: each change adds or removes one online contact of every neighbour.
void update_contacts(World& world, std::size_t sweep_end) {
  const Agents::View v = world.agents.view();
  const SocialNetwork::Rows rows = world.network.rows();
  auto apply = [&](std::size_t i) {
    const std::uint8_t st = v.status[i];
    if (!(st & status::changed)) return;
    v.status[i] = static_cast<std::uint8_t>(st & ~status::changed);
    const bool online = (st & status::alive) && (st & status::internet_user);
    for (std::uint32_t j : rows.contacts(i)) {
      v.online_contacts[j] = static_cast<std::uint16_t>(v.online_contacts[j] + (online ? 1 : -1));
    }
  };
  const std::size_t chunks = world.changed.count.size();
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::uint32_t count = world.changed.count[c];
    if (count <= ChangedAgents::kPerChunk) {
      const std::uint32_t* ids = world.changed.ids.data() + c * ChangedAgents::kPerChunk;
      for (std::uint32_t k = 0; k < count; ++k) apply(ids[k]);
    } else {
      const std::size_t end = std::min(sweep_end, (c + 1) * kAgentChunk);
      for (std::size_t i = c * kAgentChunk; i < end; ++i) apply(i);
    }
  }
}

}  // namespace

void advance(World& world, const std::vector<std::unique_ptr<Process>>& processes, Tally& tally,
             StratumCounts& record) {
  ++world.step;
  world.month = add_months(world.scenario.start, world.step - 1);
  for (const auto& process : processes) process->prepare(world);

  // The sweep: each chunk is one task; its blocks go through every process, then the tally.
  const std::size_t n = world.agents.size();
  const std::size_t chunks = (n + kAgentChunk - 1) / kAgentChunk;
  tally.reserve(chunks);
  if (world.changed.ids.size() < chunks * ChangedAgents::kPerChunk) {
    world.changed.ids.resize((chunks + chunks / 4 + 1) *
                             ChangedAgents::kPerChunk);  // births to come
  }
  world.changed.count.assign(chunks, 0);
  using Range = tbb::blocked_range<std::size_t>;
  tbb::parallel_for(Range(0, chunks, 1), [&](const Range& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      const std::size_t chunk_end = std::min(n, (c + 1) * kAgentChunk);
      for (std::size_t b = c * kAgentChunk; b < chunk_end; b += kAgentBlock) {
        const AgentRange block{c, b, std::min(chunk_end, b + kAgentBlock)};
        for (const auto& process : processes) process->update(world, block);
        tally.add(world.agents, world.step, c, block.begin, block.end, b == c * kAgentChunk);
        collect_changed(world, c, block.begin, block.end);
      }
    }
  });
  for (const auto& process : processes) process->finish(world);

  // Agents born in finish(): counted in slots after the sweep's, chunk by chunk from n.
  const std::size_t born = world.agents.size() - n;
  const std::size_t born_chunks = (born + kAgentChunk - 1) / kAgentChunk;
  tally.reserve(chunks + born_chunks);
  tbb::parallel_for(Range(0, born_chunks, 1), [&](const Range& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      const std::size_t begin = n + c * kAgentChunk;
      tally.add(world.agents, world.step, chunks + c, begin,
                std::min(world.agents.size(), begin + kAgentChunk), true);
    }
  });
  update_contacts(world, n);  // newcomers have no contacts and no change to pass on
  tally.reduce(chunks + born_chunks, record, &world.places);
  world.counts = record;
}

Trajectory Simulation::run(const std::function<void(int, int)>& on_step,
                           const std::atomic<bool>* stop) {
  const CivilDate start = world_.scenario.start;
  Trajectory out;
  out.dates.reserve(steps_ + 1);
  out.records.resize(steps_ + 1);
  out.dates.push_back({start.year, start.month, 1});
  tally_.count(world_.agents, 0, out.records[0], &world_.places);
  world_.counts = out.records[0];
  for (int step = 1; step <= steps_; ++step) {
    if (stop && stop->load(std::memory_order_relaxed)) throw Interrupted();
    advance(world_, processes_, tally_, out.records[step]);
    out.dates.push_back(add_months(start, step));
    if (on_step) on_step(step, steps_);
  }
  return out;
}

}  // namespace divsim
