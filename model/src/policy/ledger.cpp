// The ledger's tables and its conservation check.
#include "divsim/policy/ledger.h"

#include <cmath>

namespace divsim {

Cents to_cents(double usd) {
  return static_cast<Cents>(std::llround(usd * 100.0));
}

Ledger::Ledger(std::vector<Source> sources, std::vector<Programme> programmes, int steps)
    : sources_(std::move(sources)),
      programmes_(std::move(programmes)),
      months_(static_cast<std::size_t>(steps) + 1) {
  const std::size_t cells = months_ * ns();
  inflow_public_.assign(cells, 0);
  inflow_private_.assign(cells, 0);
  spending_.assign(cells * kLedgerUses, 0);
  idle_.assign(cells, 0);
  undisbursed_.assign(cells, 0);
  allotted_.assign(cells, 0);
  debt_.assign(cells, 0);
  programme_spending_.assign(months_ * np(), 0);
  programme_balance_.assign(months_ * np(), 0);
  programme_reached_.assign(months_ * np(), 0.0);
  schools_connected_.assign(months_ * kIncomeGroups, 0.0);
}

void Ledger::add_inflow(std::size_t t, std::size_t s, Cents public_part, Cents private_part) {
  inflow_public_[t * ns() + s] += public_part;
  inflow_private_[t * ns() + s] += private_part;
}

void Ledger::add_spending(std::size_t t, std::size_t p, Cents amount, double reached) {
  const Programme& prog = programmes_[p];
  spending_[(t * ns() + prog.source) * kLedgerUses + static_cast<int>(prog.use)] += amount;
  programme_spending_[t * np() + p] += amount;
  programme_reached_[t * np() + p] += reached;
}

void Ledger::set_balances(std::size_t t, std::size_t s, Cents idle, Cents undisbursed,
                          Cents allotted, Cents debt) {
  idle_[t * ns() + s] = idle;
  undisbursed_[t * ns() + s] = undisbursed;
  allotted_[t * ns() + s] = allotted;
  debt_[t * ns() + s] = debt;
}

void Ledger::set_programme_balance(std::size_t t, std::size_t p, Cents balance) {
  programme_balance_[t * np() + p] = balance;
}

std::string Ledger::check_conservation() const {
  for (std::size_t t = 1; t < months_; ++t) {
    for (std::size_t s = 0; s < ns(); ++s) {
      Cents spent = 0;
      for (int u = 0; u < kLedgerUses; ++u) spent += spending(t, s, static_cast<LedgerUse>(u));
      const Cents in = balance(t - 1, s) + inflow_public(t, s) + inflow_private(t, s);
      const Cents out = spent + balance(t, s);
      if (in != out) {
        return "source " + sources_[s].name + ", month " + std::to_string(t) + ": " +
               std::to_string(in) + " cents in, " + std::to_string(out) + " cents out";
      }
    }
    for (std::size_t s = 0; s < ns(); ++s) {
      Cents held = 0;
      for (std::size_t p = 0; p < np(); ++p) {
        if (programmes_[p].source == s) held += programme_balance(t, p);
      }
      if (held != allotted(t, s)) {
        return "source " + sources_[s].name + ", month " + std::to_string(t) +
               ": programmes hold " + std::to_string(held) + " cents, allotted " +
               std::to_string(allotted(t, s));
      }
    }
  }
  return {};
}

}  // namespace divsim
