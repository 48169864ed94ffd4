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

namespace {

/** Per place and generation, the frontier that per-cell coverage rates give. */
std::vector<std::array<double, kGenerations>> place_frontiers(
    const WorldPlan& plan, const std::array<const std::vector<double>*, kGenerations>& rates) {
  // Coverage rates were fitted per cell but depend only on the place: read them off any cell.
  std::vector<std::array<double, kGenerations>> out(2 * plan.regions.size());
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    const WorldCell& cell = plan.cells[c];
    auto& f = out[place_of(cell.region, cell.area == 1)];
    for (int g = 0; g < kGenerations; ++g) f[g] = (*rates[g])[c];
  }
  return out;
}

}  // namespace

void Coverage::initialize(World& world) {
  constexpr int kFirst = static_cast<int>(StartIndicator::coverage_2g_plus);
  const auto& start = world.plan.fit.rates;
  world.frontier = place_frontiers(
      world.plan, {&start[kFirst], &start[kFirst + 1], &start[kFirst + 2], &start[kFirst + 3]});
  anchors_.clear();
  if (world.plan.coverage_history.empty()) return;
  anchors_.push_back({0.0, world.frontier});
  for (const CoverageAnchor& a : world.plan.coverage_history) {
    anchors_.push_back(
        {mid_year_month(a.year) - month_index(world.scenario.start),
         place_frontiers(world.plan, {&a.rates[0], &a.rates[1], &a.rates[2], &a.rates[3]})});
  }
}

double Coverage::recorded_frontier(std::size_t p, int generation, double months) const {
  std::size_t k = 1;
  while (anchors_[k].months < months) ++k;
  const Anchor &a = anchors_[k - 1], &b = anchors_[k];
  const double w = std::clamp((months - a.months) / (b.months - a.months), 0.0, 1.0);
  return (1 - w) * a.frontier[p][generation] + w * b.frontier[p][generation];
}

void Coverage::prepare(World& world) {
  world.coverage_moved = false;
  world.coverage_band.assign(world.frontier.size(), {0.0, 0.0});
  const bool recorded = !anchors_.empty() && world.step <= anchors_.back().months;
  for (std::size_t p = 0; p < world.frontier.size(); ++p) {
    const double people = world.places[kPlaceMeasures * p];
    if (!(people > 0)) continue;
    const int group = world.plan.regions[p / 2].income_group;
    const double users = world.places[kPlaceMeasures * p + 1] / people;
    const double revenue = users * revenue_ratio_ * world.data_price[group];
    auto& f = world.frontier[p];
    for (int g = 0; g < kGenerations; ++g) {
      const double ceiling = g == 0 ? 1.0 : f[g - 1];
      const double from = f[g];
      if (recorded) {
        // Within the history's record the networks reach as far as recorded (generations that
        // did not exist yet included), whatever the roll-out rule would have built.
        f[g] = std::max(f[g], std::min(ceiling, recorded_frontier(p, g, world.step)));
      } else {
        if (f[g] >= ceiling || revenue < monthly_cost(g, f[g])) continue;
        f[g] = std::min(ceiling, f[g] + max_step_);
      }
      // Frontiers only advance: people between the old and the new frontier gain a generation.
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
