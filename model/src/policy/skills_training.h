// Training seats: people aged 10+ below the course's skill level are offered a course in queue
// order while money and seats last; those who complete it reach the level.
#pragma once

#include <algorithm>

#include "policy/intervention.h"

namespace divsim::detail {

class SkillsTraining final : public Intervention {
 public:
  SkillsTraining(const InterventionSpec& spec, const ParameterSet& params);
  static InterventionTypeInfo info();

  LedgerUse use() const override { return LedgerUse::skills; }
  bool makes_offers() const override { return true; }
  void prepare_offers(World& world) override;
  void collect(const TargetMask& mask, const AgentRange& range, const OfferWindow& window,
               CandidateList& out) const override {
    collect_eligible(*this, mask, range, window, out);
  }
  bool eligible(const Agents::View& v, std::size_t i, int step) const override;
  Cents least_offer_cost(const World&) const override { return std::max<Cents>(seat_, 1); }
  Cents offer_cost(const World&, std::size_t) const override { return seat_; }
  bool has_room() const override { return seats_per_month_ <= 0 || seats_ >= 1; }
  bool offer(World& world, std::size_t i) override;

 private:
  double cost_usd_, completion_, seats_per_month_;  // seats in persons
  std::uint8_t level_;                              // the skill level a completed course gives
  std::uint64_t stream_;
  Cents seat_ = 0;    // one seat for one agent (person_weight persons)
  double seats_ = 0;  // seats left this month, in agents
};

}  // namespace divsim::detail
