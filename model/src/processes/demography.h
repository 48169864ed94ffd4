// Demography: ageing, deaths (Gompertz, scheduled), births and immigration aligned to WPP 2024.
#pragma once

#include <array>
#include <vector>

#include "divsim/processes/process.h"

namespace divsim::detail {

class Demography : public Process {
 public:
  explicit Demography(const ParameterSet& params);
  std::string_view name() const override { return "demography"; }
  void initialize(World& world) override;
  void prepare(World& world) override;
  void update(World& world, const AgentRange& range) override;
  void finish(World& world) override;

  /** Step at which an agent of `age_months` now (at `step`) dies, drawn from the Gompertz law. */
  std::uint16_t death_step(const World& world, std::uint64_t id, int step, int age_months,
                           int income_group) const;

 private:
  void add_births(World& world, int region, std::int64_t births);
  void add_migrants(World& world, int region, std::int64_t migrants);

  const ParameterSet& params_;
  double slope_;                                   // per year
  std::array<double, kIncomeGroups> modal_age_;    // years
  std::vector<std::vector<double>> target_;        // [step][region], persons
  std::vector<std::vector<double>> target_young_;  // [step][region], persons under 10
  std::vector<std::int64_t> alive_;                // living agents per region
  std::vector<double> carry_;                      // fractional births carried per region
  std::vector<double> carry_migrants_;             // fractional immigrants carried per region
  std::vector<std::size_t> donors_;          // start agents of region r: [donors_[r], donors_[r+1])
  std::vector<std::int64_t> young_partial_;  // chunks x regions: living under 10, this step
  std::vector<std::int64_t> deaths_partial_;  // chunks x regions, this step
};

}  // namespace divsim::detail
