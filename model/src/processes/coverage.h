// Coverage: commercial roll-out of each network generation where revenue repays the cost.
#pragma once

#include <array>

#include "divsim/processes/process.h"
#include "divsim/sim/world.h"

namespace divsim::detail {

class Coverage : public Process {
 public:
  explicit Coverage(const ParameterSet& params);
  std::string_view name() const override { return "coverage"; }
  void initialize(World& world) override;
  void prepare(World& world) override;
  void update(World& world, const AgentRange& range) override;

  /** Monthly cost per person of covering the person at remoteness rank `rank` (USD). */
  double monthly_cost(int generation, double rank) const;

 private:
  double revenue_ratio_, exponent_, payback_, max_step_;
  std::array<double, kGenerations> capex_{};
};

}  // namespace divsim::detail
