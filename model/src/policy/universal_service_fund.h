// A universal service fund: a levy on the revenue operators earn from the model's own users,
// of which only a share is ever disbursed (many funds leave money unspent).
#pragma once

#include "policy/intervention.h"

namespace divsim::detail {

class UniversalServiceFund : public Intervention {
 public:
  UniversalServiceFund(const InterventionSpec& spec, const ParameterSet& params);
  static InterventionTypeInfo info();

  void initialize(World& world, const TargetMask& mask) override;
  Inflow inflow(const World& world) override;
  double disbursement_efficiency() const override { return efficiency_; }
  std::string instrument() const override { return "levy"; }

 private:
  double levy_, efficiency_, revenue_ratio_;
  std::vector<std::uint8_t> places_;  // the places of the fund's countries
};

}  // namespace divsim::detail
