// Offers are judged as adoption judges prices: a subsidised handset is taken with the probability
// that its remaining price is affordable to the agent; a data voucher is always taken and is paid
// for its whole term when granted. Tax cuts lower a group's price for everyone while the programme
// can pay the revenue forgone that month, estimated from the last observation.
#include "policy/affordability.h"

#include <algorithm>
#include <cmath>

namespace divsim::detail {

Affordability::Affordability(const InterventionSpec& spec, const ParameterSet& params)
    : Intervention(spec, InterventionRole::programme),
      subsidy_(spec.number("subsidy_percent") / 100),
      cut_(spec.number("tax_cut_percent") / 100),
      voucher_months_(static_cast<int>(spec.number("voucher_months"))),
      afford_ref_(params.get("adoption.affordability_reference")),
      afford_steepness_(params.get("adoption.affordability_steepness")),
      handset_months_(params.get("economy.handset_lifetime_months")),
      revenue_ratio_(params.get("coverage.revenue_per_user_ratio")),
      stream_(stream_of(spec.name)) {
  const std::string& kind = spec.choice("instrument");
  instrument_ = kind == "data_subsidy"  ? Instrument::data_subsidy
                : kind == "handset_tax" ? Instrument::handset_tax
                : kind == "service_tax" ? Instrument::service_tax
                                        : Instrument::handset_subsidy;
}

namespace {

std::pair<std::string, std::string> check_tax_target(const InterventionSpec& spec) {
  const std::string& kind = spec.choice("instrument");
  if (kind != "handset_tax" && kind != "service_tax") return {};
  for (const auto& key : spec.target.given) {
    if (key != "income_group") {
      return {"target." + key,
              "expected a target by income_group only (prices, and so taxes, "
              "are per income group), found " +
                  key};
    }
  }
  return {};
}

}  // namespace

InterventionTypeInfo Affordability::info() {
  return {"affordability",
          InterventionRole::programme,
          "handset subsidies and data vouchers offered in queue order within the target, or "
          "lower taxes on handsets or services for whole income groups",
          {{"instrument",
            {"handset_subsidy", "data_subsidy", "handset_tax", "service_tax"},
            "handset_subsidy pays subsidy_percent of a handset for people aged 10+ without one; "
            "data_subsidy prepays subsidy_percent of the data price for voucher_months to people "
            "aged 10+ offline; the taxes lower prices by tax_cut_percent"}},
          {"income_group", "area", "sex", "age_band", "disability", "regions"},
          check_tax_target};
}

LedgerUse Affordability::use() const {
  switch (instrument_) {
    case Instrument::handset_subsidy:
      return LedgerUse::devices;
    case Instrument::data_subsidy:
      return LedgerUse::data;
    default:
      return LedgerUse::tax_relief;
  }
}

void Affordability::initialize(World& world, const TargetMask& mask) {
  for (int s = 0; s < kStrata; ++s) {
    if (mask.stratum[s]) groups_[stratum_key(s).income_group] = 1;
  }
  if (instrument_ != Instrument::data_subsidy) return;
  if (world.voucher_slots + 1 >= static_cast<int>(world.voucher_factor.size())) {
    throw InputError(spec_.where, "interventions." + spec_.name,
                     "expected at most 255 data_subsidy programmes, found more");
  }
  slot_ = static_cast<std::uint8_t>(++world.voucher_slots);
  world.voucher_factor[slot_] = 1 - subsidy_;
}

void Affordability::prepare_offers(World& world) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    const double price = instrument_ == Instrument::handset_subsidy
                             ? world.handset_price[g]
                             : world.data_price[g] * voucher_months_;
    cost_[g] = to_cents(subsidy_ * price * world.person_weight);
  }
}

bool Affordability::eligible(const Agents::View& v, std::size_t i, int step) const {
  const std::uint8_t st = v.status[i];
  if (!(st & status::alive) || v.age_months[i] < 120 || v.coverage[i] == 0) return false;
  if (instrument_ == Instrument::handset_subsidy) return !(st & status::mobile_owner);
  return !(st & status::internet_user) && (v.voucher[i] == 0 || v.voucher_until[i] < step);
}

Cents Affordability::least_offer_cost(const World&) const {
  Cents least = 0;
  for (int g = 0; g < kIncomeGroups; ++g) {
    if (groups_[g] && cost_[g] > 0 && (least == 0 || cost_[g] < least)) least = cost_[g];
  }
  return std::max<Cents>(least, 1);
}

Cents Affordability::offer_cost(const World& world, std::size_t i) const {
  return cost_[world.agents.income_group[i]];
}

bool Affordability::offer(World& world, std::size_t i) {
  Agents& a = world.agents;
  if (instrument_ == Instrument::data_subsidy) {
    a.voucher[i] = slot_;
    a.voucher_until[i] = static_cast<std::uint16_t>(std::min(world.step + voucher_months_, 0xFFFE));
    return true;
  }
  const int g = a.income_group[i];
  const double remaining = world.handset_price[g] * (1 - subsidy_) / handset_months_;
  const double burden = remaining / (a.income[i] * world.income_index[g]);
  const double take = 1.0 / (1.0 + std::pow(burden / afford_ref_, afford_steepness_));
  const auto w = random_words(world.key, i, static_cast<std::uint64_t>(world.step),
                              Purpose::programme_effect, stream_);
  if (open_unit(w[0]) >= take) return false;
  a.status[i] |= status::mobile_owner;
  return true;
}

Cents Affordability::spend(World& world, const TargetMask&, Cents balance, double& reached) {
  if (instrument_ != Instrument::handset_tax && instrument_ != Instrument::service_tax) return 0;
  const bool handsets = instrument_ == Instrument::handset_tax;
  std::array<double, kIncomeGroups> quantity{};  // handsets bought or users, per month (persons)
  if (handsets) {
    for (int s = 0; s < kStrata; ++s) {
      const double owners =
          world.counts[static_cast<int>(Measure::mobile_owners_10plus) * kStrata + s];
      quantity[stratum_key(s).income_group] += owners / handset_months_;
    }
  } else {
    for (std::size_t p = 0; p < world.frontier.size(); ++p) {
      quantity[world.plan.regions[p / 2].income_group] += world.places[kPlaceMeasures * p + 1];
    }
  }
  double forgone = 0, persons = 0;
  for (int g = 0; g < kIncomeGroups; ++g) {
    if (!groups_[g]) continue;
    const double price = handsets ? world.handset_price[g] : world.data_price[g] * revenue_ratio_;
    forgone += cut_ * price * quantity[g];
    persons += quantity[g];
  }
  const Cents cost = to_cents(forgone);
  if (cost > balance || cost == 0) return 0;  // no money for the month: taxes stay as they are
  for (int g = 0; g < kIncomeGroups; ++g) {
    if (!groups_[g]) continue;
    (handsets ? world.handset_price[g] : world.data_price[g]) *= 1 - cut_;
  }
  reached = persons;
  return cost;
}

}  // namespace divsim::detail
