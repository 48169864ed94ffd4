// Connecting schools (the draft's every school by 2030, paragraph 48): moves the connected-school
// frontier of the places it targets; the policy process gives their pupils access and skills.
#pragma once

#include "policy/frontier_purchase.h"
#include "policy/intervention.h"

namespace divsim::detail {

class SchoolConnectivity : public Intervention {
 public:
  SchoolConnectivity(const InterventionSpec& spec, const ParameterSet& params);
  static InterventionTypeInfo info();

  LedgerUse use() const override { return LedgerUse::schools; }
  Cents spend(World& world, const TargetMask& mask, Cents balance, double& reached) override;

 private:
  FrontierPrice price_;
};

}  // namespace divsim::detail
