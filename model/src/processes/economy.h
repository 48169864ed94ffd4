// Economy: income growth by income group, and the prices of the data basket and of handsets.
#pragma once

#include <array>

#include "divsim/processes/process.h"

namespace divsim::detail {

class Economy : public Process {
 public:
  explicit Economy(const ParameterSet& params);
  std::string_view name() const override { return "economy"; }
  void initialize(World& world) override;
  void prepare(World& world) override;

 private:
  void set_month(World& world, int step) const;
  /** The drivers of a history file at `step`: incomes, data price and handset price per group. */
  void set_month_from_history(World& world, int step) const;

  std::array<double, kIncomeGroups> growth_{};       // per year, fraction
  std::array<double, kIncomeGroups> data_price0_{};  // USD per month
  std::array<double, kIncomeGroups> handset_price0_{};
  double data_change_, handset_change_;  // per year, fraction
};

}  // namespace divsim::detail
