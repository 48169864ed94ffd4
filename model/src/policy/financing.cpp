// A fixed amount a year in twelve equal parts; blended finance adds private money in proportion.
#include "policy/financing.h"

namespace divsim::detail {

Financing::Financing(const InterventionSpec& spec, const ParameterSet&)
    : Intervention(spec, InterventionRole::fund),
      monthly_usd_(spec.number("amount_musd_per_year") * 1e6 / 12),
      leverage_(spec.choice("instrument") == "blended" ? spec.number("private_leverage") : 0.0),
      interest_(spec.choice("instrument") == "development_bank_loan"
                    ? spec.number("interest_percent") / 100
                    : 0.0),
      efficiency_(spec.number("disbursement_efficiency")) {}

InterventionTypeInfo Financing::info() {
  return {"financing",
          InterventionRole::fund,
          "money for programmes: a public budget, a development-bank loan or grant, or blended "
          "finance with private leverage",
          {{"instrument",
            {"public_budget", "development_bank_loan", "development_bank_grant", "blended"},
            "where the money comes from; loans accrue debt at interest_percent, blended finance "
            "adds private_leverage private dollars per public dollar"}},
          {}};
}

Inflow Financing::inflow(const World&) {
  const Cents public_part = to_cents(monthly_usd_);
  return {public_part, to_cents(monthly_usd_ * leverage_)};
}

double Financing::monthly_interest() const {
  return interest_ / 12;
}

}  // namespace divsim::detail
