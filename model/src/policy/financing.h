// Financing: public budgets, development-bank loans and grants, and blended (PPP) finance that
// brings private money with each public dollar.
#pragma once

#include "policy/intervention.h"

namespace divsim::detail {

class Financing : public Intervention {
 public:
  Financing(const InterventionSpec& spec, const ParameterSet& params);
  static InterventionTypeInfo info();

  Inflow inflow(const World& world) override;
  double disbursement_efficiency() const override { return efficiency_; }
  double monthly_interest() const override;
  std::string instrument() const override { return spec_.choice("instrument"); }

 private:
  double monthly_usd_, leverage_, interest_, efficiency_;
};

}  // namespace divsim::detail
