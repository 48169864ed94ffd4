// Schools are ranked by remoteness like the people around them: a place's schools below its school
// frontier are connected. The programme moves the frontier, nearest schools first; the cost per
// school rises with remoteness.
#include "policy/school_connectivity.h"

#include <cmath>

namespace divsim::detail {

SchoolConnectivity::SchoolConnectivity(const InterventionSpec& spec, const ParameterSet& params)
    : Intervention(spec, InterventionRole::programme) {
  // USD per person of the place: a school serves pupils_per_school of the pupil_share.
  price_.cost0 = spec.number("cost_per_school_usd") * params.get("schools.pupil_share") /
                 spec.number("pupils_per_school");
  price_.exponent = spec.number("remoteness_cost_exponent");
  price_.max_step = spec.number("max_rollout_per_month");
}

InterventionTypeInfo SchoolConnectivity::info() {
  return {"school_connectivity",
          InterventionRole::programme,
          "connects the nearest unconnected schools first; their pupils go online and learn "
          "basic skills at school",
          {},
          {"income_group", "area", "regions"}};
}

Cents SchoolConnectivity::spend(World& world, const TargetMask& mask, Cents balance,
                                double& reached) {
  std::vector<FrontierSite> sites;
  for (std::size_t p = 0; p < world.school_frontier.size(); ++p) {
    if (mask.place[p])
      sites.push_back({p, world.school_frontier[p], world.places[kPlaceMeasures * p]});
  }
  // Persons reached: the people around the new schools.
  return buy_frontiers(sites, price_, balance, reached,
                       [&](std::size_t p, double to) { world.school_frontier[p] = to; });
}

}  // namespace divsim::detail
