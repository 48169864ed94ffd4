// The money ledger: every cent by source (fund) and use, month by month, in whole US cents so that
// inflows = spending + balances holds exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "divsim/policy/intervention_spec.h"

namespace divsim {

/** Money in whole US cents. */
using Cents = std::int64_t;

/** Rounds US dollars to the nearest cent (halves away from zero). */
Cents to_cents(double usd);

/**
 * The ledger of a run: one row per recorded month (0: the start, then one per step, like the
 * trajectory), one column per fund (`source`) and, for spending, per use. A fund's balance is
 * split three ways: `idle` (collected but never released: the inefficiency of disbursement),
 * `undisbursed` (released but not yet given to a programme) and `allotted` (given to programmes,
 * not yet spent).
 */
class Ledger {
 public:
  struct Source {
    std::string name;
    std::string type;        // universal_service_fund or financing
    std::string instrument;  // levy, public_budget, development_bank_loan, ...
  };
  struct Programme {
    std::string name;
    std::string type;
    std::string funding;  // a source name
    std::size_t source = 0;
    LedgerUse use = LedgerUse::coverage;
  };

  Ledger() = default;
  Ledger(std::vector<Source> sources, std::vector<Programme> programmes, int steps);

  const std::vector<Source>& sources() const noexcept { return sources_; }
  const std::vector<Programme>& programmes() const noexcept { return programmes_; }
  std::size_t months() const noexcept { return months_; }

  // Row `t` of each table (t = 0 .. steps).
  Cents inflow_public(std::size_t t, std::size_t s) const { return inflow_public_[t * ns() + s]; }
  Cents inflow_private(std::size_t t, std::size_t s) const { return inflow_private_[t * ns() + s]; }
  Cents spending(std::size_t t, std::size_t s, LedgerUse u) const {
    return spending_[(t * ns() + s) * kLedgerUses + static_cast<int>(u)];
  }
  Cents idle(std::size_t t, std::size_t s) const { return idle_[t * ns() + s]; }
  Cents undisbursed(std::size_t t, std::size_t s) const { return undisbursed_[t * ns() + s]; }
  Cents allotted(std::size_t t, std::size_t s) const { return allotted_[t * ns() + s]; }
  Cents debt(std::size_t t, std::size_t s) const { return debt_[t * ns() + s]; }
  Cents balance(std::size_t t, std::size_t s) const {
    return idle(t, s) + undisbursed(t, s) + allotted(t, s);
  }
  Cents programme_spending(std::size_t t, std::size_t p) const {
    return programme_spending_[t * np() + p];
  }
  Cents programme_balance(std::size_t t, std::size_t p) const {
    return programme_balance_[t * np() + p];
  }
  /** Persons a programme reached in the month (trainees, accepted offers, people newly covered or
   * near a newly connected school), weighted. */
  double programme_reached(std::size_t t, std::size_t p) const {
    return programme_reached_[t * np() + p];
  }

  /** Share of schools connected in an income group (places weighted by their people). */
  double schools_connected(std::size_t t, int group) const {
    return schools_connected_[t * kIncomeGroups + static_cast<std::size_t>(group)];
  }
  void set_schools_connected(std::size_t t, int group, double share) {
    schools_connected_[t * kIncomeGroups + static_cast<std::size_t>(group)] = share;
  }

  // Writers used by the policy process for the month being simulated.
  void add_inflow(std::size_t t, std::size_t s, Cents public_part, Cents private_part);
  void add_spending(std::size_t t, std::size_t p, Cents amount, double reached);
  void set_balances(std::size_t t, std::size_t s, Cents idle, Cents undisbursed, Cents allotted,
                    Cents debt);
  void set_programme_balance(std::size_t t, std::size_t p, Cents balance);

  /**
   * The first (month, source) where balance(t-1) + inflows(t) != spending(t) + balance(t), as
   * a message; empty when every source balances in every month.
   */
  std::string check_conservation() const;

 private:
  std::size_t ns() const { return sources_.size(); }
  std::size_t np() const { return programmes_.size(); }

  std::vector<Source> sources_;
  std::vector<Programme> programmes_;
  std::size_t months_ = 0;
  std::vector<Cents> inflow_public_, inflow_private_, spending_, idle_, undisbursed_, allotted_,
      debt_;
  std::vector<Cents> programme_spending_, programme_balance_;
  std::vector<double> programme_reached_;
  std::vector<double> schools_connected_;
};

}  // namespace divsim
