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

namespace {

/**
 * A driver at month `t`: its record where the history gives it, then the last recorded value
 * compounded at `rate` a year; without a record, `start_value` compounded from `start`.
 */
double driven(const History& history, const std::string& name, double t, double start,
              double start_value, double rate) {
  if (const auto* points = history.series(name)) {
    if (const auto value = history.value_at(name, t)) return *value;
    const double last = mid_year_month(points->back().year);
    return points->back().value * std::pow(1 + rate, (t - last) / 12);
  }
  return start_value * std::pow(1 + rate, (t - start) / 12);
}

}  // namespace

void Economy::set_month_from_history(World& world, int step) const {
  const History& history = world.scenario.history;
  const double start = month_index(world.scenario.start), t = start + step;
  const ParameterSet& params = world.scenario.parameters;
  for (int g = 0; g < kIncomeGroups; ++g) {
    const std::string key(kIncomeGroupKeys[g]);
    const std::string income_name = "income.mean_monthly_usd." + key;
    const double income0 = params.get(income_name);
    auto income = [&](double at) {
      return driven(history, income_name, at, start, income0, growth_[g]);
    };
    world.income_index[g] = income(t) / income0;
    // The data price is a share of mean income while recorded, then changes at its own rate.
    const std::string share_name = "economy.data_price_share." + key;
    if (const auto* points = history.series(share_name)) {
      const double last = mid_year_month(points->back().year);
      const double until = std::min(t, last);
      const double price =
          history.value_at(share_name, until).value_or(points->back().value) / 100 * income(until);
      world.data_price[g] = price * std::pow(1 + data_change_, (t - until) / 12);
    } else {
      world.data_price[g] = data_price0_[g] * std::pow(1 + data_change_, (t - start) / 12);
    }
    world.handset_price[g] = driven(history, "economy.handset_price_usd." + key, t, start,
                                    handset_price0_[g], handset_change_);
  }
}

void Economy::initialize(World& world) {
  if (world.scenario.history.empty()) {
    set_month(world, 0);
  } else {
    set_month_from_history(world, 0);
  }
  world.data_price_at_start = world.data_price;
}

void Economy::prepare(World& world) {
  if (world.scenario.history.empty()) {
    set_month(world, world.step);
  } else {
    set_month_from_history(world, world.step);
  }
}

}  // namespace divsim::detail
