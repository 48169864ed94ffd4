// Coverage: commercial roll-out of each network generation where revenue repays the cost.
#pragma once

#include <array>
#include <vector>

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
  /** The history's frontiers per place, `months` after the start; the first is the start's. */
  struct Anchor {
    double months = 0;
    std::vector<std::array<double, kGenerations>> frontier;
  };
  /** The frontier the record gives place `p` at `months` after the start (within the record). */
  double recorded_frontier(std::size_t p, int generation, double months) const;

  double revenue_ratio_, exponent_, payback_, max_step_;
  std::vector<Anchor> anchors_;
  std::array<double, kGenerations> capex_{};
};

}  // namespace divsim::detail
