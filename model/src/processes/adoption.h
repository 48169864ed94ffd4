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
  void prepare(World& world) override;
  void update(World& world, const AgentRange& range) override;

 private:
  double innovation_, imitation_, afford_ref_, afford_steepness_, lapse_burden_, lapse_rate_;
  double coverage_2g_, no_skills_, women_, disability_, child_;
  double handset_months_, device_rate_, school_rate_;
  std::array<double, kIncomeGroups> relevance_{};
  // Set by prepare() for the month's update.
  std::array<double, kIncomeGroups> data_{}, handset_{}, income_{};  // USD per month; index
  std::array<bool, kIncomeGroups> may_lapse_{};
  bool vouchers_ = false;            // some data-voucher programme exists
  std::vector<double> place_share_;  // share online per place
};

}  // namespace divsim::detail
