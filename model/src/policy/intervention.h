// The base of every intervention type: funds bring money in, programmes spend it.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "divsim/params/parameter_table.h"
#include "divsim/policy/intervention_spec.h"
#include "divsim/policy/ledger.h"
#include "divsim/processes/process.h"
#include "divsim/sim/world.h"

namespace divsim::detail {

/** Age band by age in months, without a search. */
inline constexpr auto kAgeBandOfMonth = [] {
  std::array<std::uint8_t, 12 * kMaxAgeYears> table{};
  for (int m = 0; m < 12 * kMaxAgeYears; ++m)
    table[m] = static_cast<std::uint8_t>(age_band_of(m / 12));
  return table;
}();

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

/** Where the sweep puts an offer programme's candidates: one list per chunk (see Policy). */
struct CandidateList {
  std::uint64_t* slots;  // (queue position << 32) | agent
  std::size_t capacity;
  std::uint32_t count;          // found, including those not kept
  std::uint64_t first_dropped;  // least position not kept

  void add(std::uint32_t position, std::size_t agent) {
    if (count < capacity) {
      slots[count] = (std::uint64_t{position} << 32) | agent;
    } else {
      first_dropped = std::min<std::uint64_t>(first_dropped, position);
    }
    ++count;
  }
};

/** A block's view of an offer programme's window: who is in it, and how positions are made. */
struct OfferWindow {
  Agents::View agents;
  int step;
  const std::uint8_t* in_window;  // per agent of the block, 0 or 1, zero-padded to 8
  std::uint32_t multiplier, offset;
};

/**
 * Adds the agents of the block that are in the window, eligible and in the target. `Programme`
 * is a final type, so eligible() is called directly in the loop.
 */
template <typename Programme>
void collect_eligible(const Programme& programme, const TargetMask& mask, const AgentRange& range,
                      const OfferWindow& window, CandidateList& out) {
  const Agents::View v = window.agents;
  const std::uint32_t* const lottery = v.lottery + range.begin;
  const int step = window.step;
  const std::size_t n = range.end - range.begin;
  for (std::size_t k0 = 0; k0 < n; k0 += 8) {
    std::uint64_t word;
    std::memcpy(&word, window.in_window + k0, 8);
    if (word == 0) continue;  // nobody of these eight is in the window
    for (std::size_t k = k0; k < k0 + 8 && k < n; ++k) {
      if (!window.in_window[k]) continue;
      const std::size_t i = range.begin + k;
      if (!programme.eligible(v, i, step) || !mask.includes(v, i)) continue;
      out.add(window.multiplier * lottery[k] + window.offset, i);
    }
  }
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
   * cents spent and sets `reached` to the persons reached.
   */
  virtual Cents spend(World&, const TargetMask&, Cents balance, double& reached) {
    (void)balance, (void)reached;
    return 0;
  }
  // Offer programmes go through their queue (see Policy): each eligible agent of the target, in
  // queue order, is offered the programme while money lasts.
  virtual bool makes_offers() const { return false; }
  /** Adds the block's eligible agents of the window to `out` (see collect_eligible). */
  virtual void collect(const TargetMask&, const AgentRange&, const OfferWindow&,
                       CandidateList&) const {}
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
  /** Whether another offer can be made this month besides money (seats, for example). */
  virtual bool has_room() const { return true; }
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
