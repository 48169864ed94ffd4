// Revenue is the operators' monthly revenue per user (a multiple of the entry data basket) times
// the users of the fund's countries at the last observation; the levy is a share of it.
#include "policy/universal_service_fund.h"

namespace divsim::detail {

UniversalServiceFund::UniversalServiceFund(const InterventionSpec& spec, const ParameterSet& params)
    : Intervention(spec, InterventionRole::fund),
      levy_(spec.number("levy_percent") / 100),
      efficiency_(spec.number("disbursement_efficiency")),
      revenue_ratio_(params.get("coverage.revenue_per_user_ratio")) {}

InterventionTypeInfo UniversalServiceFund::info() {
  return {"universal_service_fund",
          InterventionRole::fund,
          "a levy on operator revenue from the users of its countries; releases a share to the "
          "programmes it funds and keeps the rest unspent",
          {},
          {"income_group", "regions"}};
}

void UniversalServiceFund::initialize(World&, const TargetMask& mask) {
  places_ = mask.place;
}

Inflow UniversalServiceFund::inflow(const World& world) {
  double revenue = 0;  // USD this month
  for (std::size_t p = 0; p < places_.size(); ++p) {
    if (!places_[p]) continue;
    const int group = world.plan.regions[p / 2].income_group;
    revenue += world.places[kPlaceMeasures * p + 1] * revenue_ratio_ * world.data_price[group];
  }
  return {to_cents(levy_ * revenue), 0};
}

}  // namespace divsim::detail
