// Affordability: handset subsidies and data vouchers (social tariffs) offered to people in queue
// order, and lower taxes on handsets or services for whole income groups.
#pragma once

#include "policy/intervention.h"

namespace divsim::detail {

class Affordability final : public Intervention {
 public:
  Affordability(const InterventionSpec& spec, const ParameterSet& params);
  static InterventionTypeInfo info();

  LedgerUse use() const override;
  void initialize(World& world, const TargetMask& mask) override;
  Cents spend(World& world, const TargetMask& mask, Cents balance, double& reached) override;

  // A subsidy of nothing offers nothing (it would change takes at no cost).
  bool makes_offers() const override {
    return instrument_ <= Instrument::data_subsidy && subsidy_ > 0;
  }
  void prepare_offers(World& world) override;
  void collect(const TargetMask& mask, const AgentRange& range, const OfferWindow& window,
               CandidateList& out) const override {
    collect_eligible(*this, mask, range, window, out);
  }
  bool eligible(const Agents::View& v, std::size_t i, int step) const override;
  Cents least_offer_cost(const World& world) const override;
  Cents offer_cost(const World& world, std::size_t i) const override;
  bool offer(World& world, std::size_t i) override;

 private:
  enum class Instrument { handset_subsidy, data_subsidy, handset_tax, service_tax };
  Instrument instrument_;
  double subsidy_, cut_;
  int voucher_months_;
  double afford_ref_, afford_steepness_, handset_months_, revenue_ratio_;
  std::uint64_t stream_;
  std::uint8_t slot_ = 0;                    // data vouchers: this programme's voucher slot
  std::array<Cents, kIncomeGroups> cost_{};  // per agent of each income group, this month
  std::array<std::uint8_t, kIncomeGroups> groups_{};  // tax: the income groups targeted
};

}  // namespace divsim::detail
