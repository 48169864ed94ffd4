// The base of every intervention type: funds bring money in, programmes spend it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "divsim/params/parameter_table.h"
#include "divsim/policy/intervention_spec.h"
#include "divsim/policy/ledger.h"
#include "divsim/processes/process.h"
#include "divsim/sim/world.h"

namespace divsim::detail {

/** A target compiled for the hot loop: one byte per stratum, one per region, one per place. */
struct TargetMask {
  std::array<std::uint8_t, kStrata> stratum{};
  std::vector<std::uint8_t> region;
  std::vector<std::uint8_t> place;  // region selected and at least one of its area's strata

  TargetMask() = default;
  TargetMask(const Target& target, const std::vector<Region>& regions);

  bool includes(const Agents::View& v, std::size_t i) const {
    if (!region[v.region[i]]) return false;
    const std::uint8_t t = v.traits[i];
    const int s =
        stratum_index({v.income_group[i], (t & trait::rural) ? 1 : 0, (t & trait::male) ? 1 : 0,
                       age_band_of(v.age_months[i] / 12), (t & trait::disability) ? 1 : 0});
    return stratum[s];
  }
};

/** A stable 64-bit number for a name (FNV-1a): the random stream of an intervention. */
inline std::uint64_t stream_of(const std::string& name) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return h;
}

/** Money flowing into a fund in one month. */
struct Inflow {
  Cents public_part = 0;
  Cents private_part = 0;
};

class Intervention {
 public:
  Intervention(const InterventionSpec& spec, InterventionRole role) : spec_(spec), role_(role) {}
  virtual ~Intervention() = default;
  Intervention(const Intervention&) = delete;
  Intervention& operator=(const Intervention&) = delete;

  const InterventionSpec& spec() const noexcept { return spec_; }
  InterventionRole role() const noexcept { return role_; }

  /** Called once the world exists; `mask` is the compiled target. */
  virtual void initialize(World&, const TargetMask&) {}

  // --- Funds ---
  /** This month's inflow (the fund is active). */
  virtual Inflow inflow(const World&) { return {}; }
  /** Share of the inflow released to programmes; the rest stays idle in the fund. */
  virtual double disbursement_efficiency() const { return 1.0; }
  /** Interest per month on debt (loans); zero for money that need not be repaid. */
  virtual double monthly_interest() const { return 0.0; }
  virtual std::string instrument() const { return ""; }

  // --- Programmes ---
  virtual LedgerUse use() const { return LedgerUse::coverage; }
  /**
   * Serial spending before the sweep (places, prices), from `balance` cents at most; returns the
   * cents spent and sets `reached` to the agents-equivalent reached (persons / person weight).
   */
  virtual Cents spend(World&, const TargetMask&, Cents balance, std::int64_t& reached) {
    (void)balance, (void)reached;
    return 0;
  }
  /** Effects on agents during the sweep (only their own state: see Process::update). */
  virtual void update(World&, const TargetMask&, const AgentRange&) {}

  // Offer programmes go through their queue (see Policy): each eligible agent of the target, in
  // queue order, is offered the programme while money lasts.
  virtual bool makes_offers() const { return false; }
  /** Called in prepare() before any offer of the month. */
  virtual void prepare_offers(World&) {}
  virtual bool eligible(const Agents::View&, std::size_t, int step) const {
    (void)step;
    return false;
  }
  /** The least an offer costs this month (sizes the month's window of the queue). */
  virtual Cents least_offer_cost(const World&) const { return 1; }
  /** Cents the offer to agent `i` costs if taken. */
  virtual Cents offer_cost(const World&, std::size_t) const { return 0; }
  /** Makes the offer (serially, in queue order); returns whether it was taken (and is paid). */
  virtual bool offer(World&, std::size_t) { return false; }

 protected:
  const InterventionSpec& spec_;

 private:
  InterventionRole role_;
};

/** The intervention of a checked spec (its type is registered). */
std::unique_ptr<Intervention> make_intervention(const InterventionSpec& spec,
                                                const ParameterSet& params);

}  // namespace divsim::detail
