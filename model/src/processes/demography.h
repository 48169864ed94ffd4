// Demography: ageing, deaths (Gompertz, scheduled), and births aligned to WPP 2024 projections.
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

  const ParameterSet& params_;
  double slope_;                                 // per year
  std::array<double, kIncomeGroups> modal_age_;  // years
  std::vector<std::vector<double>> target_;      // [step][region], persons
  std::vector<std::int64_t> alive_;              // living agents per region
  std::vector<double> carry_;                    // fractional births carried per region
  std::vector<std::int64_t> deaths_partial_;     // chunks x regions, this step
};

}  // namespace divsim::detail
