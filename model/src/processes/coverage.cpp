// Each place (region x area) keeps, per generation, a frontier in remoteness rank: people below it
// are covered. A frontier advances while the revenue of the people just beyond it repays the cost
// of reaching them, which grows steeply for the most remote; a generation never passes the one
// before it (3G -> 4G -> 5G upgrades follow the older networks).
#include "processes/coverage.h"

#include <algorithm>
#include <cmath>

#include "processes/parallel.h"

namespace divsim::detail {

Coverage::Coverage(const ParameterSet& params)
    : revenue_ratio_(params.get("coverage.revenue_per_user_ratio")),
      exponent_(params.get("coverage.remoteness_cost_exponent")),
      payback_(params.get("coverage.payback_months")),
      max_step_(params.get("coverage.max_rollout_per_month")) {
  static constexpr const char* kKeys[] = {"2g", "3g", "4g", "5g"};
  for (int g = 0; g < kGenerations; ++g) {
    capex_[g] = params.get(std::string("coverage.capex_per_person_usd.") + kKeys[g]);
  }
}

double Coverage::monthly_cost(int generation, double rank) const {
  return capex_[generation] * std::pow(1 - std::min(rank, 1 - 1e-9), -exponent_) / payback_;
}

void Coverage::initialize(World& world) {
  // Coverage rates were fitted per cell but depend only on the place: read them off any cell.
  world.frontier.assign(2 * world.plan.regions.size(), {});
  for (std::size_t c = 0; c < world.plan.cells.size(); ++c) {
    const WorldCell& cell = world.plan.cells[c];
    auto& f = world.frontier[place_of(cell.region, cell.area == 1)];
    for (int g = 0; g < kGenerations; ++g) {
      f[g] = world.plan.fit.rates[static_cast<int>(StartIndicator::coverage_2g_plus) + g][c];
    }
  }
}

void Coverage::prepare(World& world) {
  world.coverage_moved = false;
  world.coverage_band.assign(world.frontier.size(), {0.0, 0.0});
  for (std::size_t p = 0; p < world.frontier.size(); ++p) {
    const double people = world.places[kPlaceMeasures * p];
    if (!(people > 0)) continue;
    const int group = world.plan.regions[p / 2].income_group;
    const double users = world.places[kPlaceMeasures * p + 1] / people;
    const double revenue = users * revenue_ratio_ * world.data_price[group];
    auto& f = world.frontier[p];
    for (int g = 0; g < kGenerations; ++g) {
      const double ceiling = g == 0 ? 1.0 : f[g - 1];
      if (f[g] >= ceiling || revenue < monthly_cost(g, f[g])) continue;
      // Frontiers only advance: people between the old and the new frontier gain a generation.
      const double from = f[g];
      f[g] = std::min(ceiling, f[g] + max_step_);
      world.widen_coverage_band(p, from, f[g]);
    }
  }
}

void Coverage::update(World& world, const AgentRange& range) {
  if (!world.coverage_moved) return;
  const std::array<double, 2>* const bands = world.coverage_band.data();
  const std::array<double, kGenerations>* const frontier = world.frontier.data();
  const Agents::View v = world.agents.view();  // a local: the byte stores below cannot alias it
  // Re-levels agents [begin, end) of place p whose rank lies in the place's band.
  auto relevel = [&](std::size_t begin, std::size_t end, std::size_t p) {
    const double lo = bands[p][0], hi = bands[p][1];
    if (!(hi > lo)) return;  // no frontier moved in this place
    const auto& f = frontier[p];
    for (std::size_t i = begin; i < end; ++i) {
      const double r = v.remoteness[i];
      if (!(r >= lo && r < hi)) continue;  // no frontier passed this agent
      int level = 0;
      for (int g = 0; g < kGenerations; ++g) {
        if (r < f[g]) level = g + 1;
      }
      v.coverage[i] = static_cast<std::uint8_t>(level);
    }
  };
  if (range.end > world.sorted_by_place) {
    for (std::size_t i = range.begin; i < range.end; ++i) {
      relevel(i, i + 1,
              static_cast<std::size_t>(place_of(v.region[i], v.traits[i] & trait::rural)));
    }
    return;
  }
  // Stored by place: the block is a few runs of one place each, found by bisection.
  const Agents& agents = world.agents;
  for (std::size_t i = range.begin; i < range.end;) {
    const std::size_t p = agents.place(i);
    std::size_t lo = i + 1, hi = range.end;
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (agents.place(mid) == p) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    relevel(i, lo, p);
    i = lo;
  }
}

}  // namespace divsim::detail
