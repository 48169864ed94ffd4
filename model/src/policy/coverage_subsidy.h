// Subsidised roll-out where commercial roll-out does not pay: mobile sites of a chosen generation,
// or community networks in rural places.
#pragma once

#include "policy/frontier_purchase.h"
#include "policy/intervention.h"

namespace divsim::detail {

class CoverageSubsidy : public Intervention {
 public:
  CoverageSubsidy(const InterventionSpec& spec, const ParameterSet& params);
  static InterventionTypeInfo info();

  LedgerUse use() const override { return use_; }
  Cents spend(World& world, const TargetMask& mask, Cents balance, double& reached) override;

 private:
  LedgerUse use_;
  int generation_;  // frontier index: 1 = 3G, 2 = 4G, 3 = 5G
  bool rural_only_;
  FrontierPrice price_;
};

}  // namespace divsim::detail
