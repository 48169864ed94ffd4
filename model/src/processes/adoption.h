// Devices and adoption: a monthly hazard of going online (innovation plus imitation of contacts)
// scaled by the barriers the draft names; lapses when the service stops being affordable.
#pragma once

#include <array>

#include "divsim/processes/process.h"

namespace divsim::detail {

class Adoption : public Process {
 public:
  explicit Adoption(const ParameterSet& params);
  std::string_view name() const override { return "adoption"; }
  void initialize(World& world) override;
  void step(World& world) override;

 private:
  double innovation_, imitation_, afford_ref_, afford_steepness_, lapse_burden_, lapse_rate_;
  double coverage_2g_, no_skills_, women_, disability_, child_;
  double handset_months_, device_rate_;
  std::array<double, kIncomeGroups> relevance_{};
  std::vector<double> place_share_;  // share online per place, refreshed every step
};

}  // namespace divsim::detail
