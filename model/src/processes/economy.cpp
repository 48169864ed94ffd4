// Incomes grow and prices change as smooth monthly compounding of annual rates. Affordability, the
// price over the agent's own income, is judged where it matters: in adoption.
#include "processes/economy.h"

#include <cmath>

namespace divsim::detail {

Economy::Economy(const ParameterSet& params)
    : data_change_(params.get("economy.data_price_change") / 100),
      handset_change_(params.get("economy.handset_price_change") / 100) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    const std::string key(kIncomeGroupKeys[g]);
    growth_[g] = params.get("economy.income_growth." + key) / 100;
    data_price0_[g] = params.get("economy.data_price_share." + key) / 100 *
                      params.get("income.mean_monthly_usd." + key);
    handset_price0_[g] = params.get("economy.handset_price_usd." + key);
  }
}

void Economy::set_month(World& world, int step) const {
  const double years = step / 12.0;
  for (int g = 0; g < kIncomeGroups; ++g) {
    world.income_index[g] = std::pow(1 + growth_[g], years);
    world.data_price[g] = data_price0_[g] * std::pow(1 + data_change_, years);
    world.handset_price[g] = handset_price0_[g] * std::pow(1 + handset_change_, years);
  }
}

void Economy::initialize(World& world) {
  set_month(world, 0);
  world.data_price_at_start = data_price0_;
}

void Economy::prepare(World& world) {
  set_month(world, world.step);
}

}  // namespace divsim::detail
