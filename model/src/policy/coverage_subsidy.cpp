// A subsidised site brings its generation and every older one to the people it reaches; its cost
// per person is the commercial capex of the generation, rising with remoteness. Community networks
// reach rural people at a flatter cost and give 3G-class service.
#include "policy/coverage_subsidy.h"

#include <cmath>

namespace divsim::detail {

namespace {

int generation_of(const std::string& technology) {
  if (technology == "3g" || technology == "community_network") return 1;
  if (technology == "5g") return 3;
  return 2;
}

}  // namespace

CoverageSubsidy::CoverageSubsidy(const InterventionSpec& spec, const ParameterSet& params)
    : Intervention(spec, InterventionRole::programme),
      use_(spec.choice("technology") == "community_network" ? LedgerUse::community_networks
                                                            : LedgerUse::coverage),
      generation_(generation_of(spec.choice("technology"))),
      rural_only_(spec.choice("technology") == "community_network") {
  static constexpr const char* kKeys[] = {"2g", "3g", "4g", "5g"};
  if (rural_only_) {
    price_.cost0 = spec.number("community_cost_per_person_usd");
    price_.exponent = spec.number("community_cost_exponent");
  } else {
    price_.cost0 = params.get(std::string("coverage.capex_per_person_usd.") + kKeys[generation_]);
    price_.exponent = params.get("coverage.remoteness_cost_exponent");
  }
  price_.max_step = spec.number("max_rollout_per_month");
}

InterventionTypeInfo CoverageSubsidy::info() {
  return {"coverage_subsidy",
          InterventionRole::programme,
          "subsidised roll-out beyond the commercial frontier, nearest people first; community "
          "networks reach rural people at a flatter cost",
          {{"technology",
            {"4g", "3g", "5g", "community_network"},
            "what the subsidy builds: a mobile generation (with the older ones) or a community "
            "network (3G-class, rural places only)"}},
          {"income_group", "area", "regions"}};
}

Cents CoverageSubsidy::spend(World& world, const TargetMask& mask, Cents balance, double& reached) {
  std::vector<FrontierSite> sites;
  for (std::size_t p = 0; p < world.frontier.size(); ++p) {
    if (!mask.place[p] || (rural_only_ && p % 2 == 0)) continue;
    sites.push_back({p, world.frontier[p][generation_], world.places[kPlaceMeasures * p]});
  }
  return buy_frontiers(sites, price_, balance, reached, [&](std::size_t p, double to) {
    auto& f = world.frontier[p];
    for (int g = 0; g <= generation_; ++g) {
      const double from = f[g];
      if (to <= from) continue;
      f[g] = to;
      world.widen_coverage_band(p, from, to);
    }
  });
}

}  // namespace divsim::detail
