// Each agent holds an exponential clock: the hazard it can still absorb before its next event.
// Every month the hazard of its current situation is subtracted; the event (adopt or lapse)
// happens when the clock runs out, and a new clock is drawn. Agents with nothing to decide
// (dead, under five, users who can afford the service, non-users without coverage) are skipped.
#include "processes/adoption.h"

#include <algorithm>
#include <cmath>

#include "processes/parallel.h"

namespace divsim::detail {

Adoption::Adoption(const ParameterSet& params)
    : innovation_(params.get("adoption.innovation")),
      imitation_(params.get("adoption.imitation")),
      afford_ref_(params.get("adoption.affordability_reference")),
      afford_steepness_(params.get("adoption.affordability_steepness")),
      lapse_burden_(params.get("adoption.lapse_burden")),
      lapse_rate_(params.get("adoption.lapse_rate")),
      coverage_2g_(params.get("adoption.coverage_2g_factor")),
      no_skills_(params.get("adoption.no_skills_factor")),
      women_(params.get("adoption.women_factor")),
      disability_(params.get("adoption.disability_factor")),
      child_(params.get("adoption.child_factor")),
      handset_months_(params.get("economy.handset_lifetime_months")),
      device_rate_(params.get("adoption.device_rate")),
      school_rate_(params.get("schools.use_rate")) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    relevance_[g] = params.get("adoption.relevance." + std::string(kIncomeGroupKeys[g]));
  }
}

void Adoption::initialize(World& world) {
  Agents& a = world.agents;
  for_agents(a.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      a.adoption_clock[i] = exponential_clock(world.key, i, 0, Purpose::adoption_clock);
      a.device_clock[i] = exponential_clock(world.key, i, 0, Purpose::device_clock);
    }
  });
}

void Adoption::prepare(World& world) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    data_[g] = world.data_price[g];
    handset_[g] = world.handset_price[g] / handset_months_;
    income_[g] = world.income_index[g];
    // Affordability is lost only where data weighs more on incomes than at the start.
    may_lapse_[g] = data_[g] / income_[g] > world.data_price_at_start[g];
  }
  // Without data-voucher programmes the voucher array is never read.
  vouchers_ = world.voucher_slots > 0;
  // Agents without contacts (born during the run) imitate their place as a whole.
  place_share_.assign(world.frontier.size(), 0.0);
  for (std::size_t p = 0; p < place_share_.size(); ++p) {
    const double people = world.places[kPlaceMeasures * p];
    if (people > 0) place_share_[p] = world.places[kPlaceMeasures * p + 1] / people;
  }
}

void Adoption::update(World& world, const AgentRange& range) {
  const auto step = static_cast<std::uint64_t>(world.step);
  const auto data = data_, handset = handset_, income = income_;
  const auto may_lapse = may_lapse_;
  // The barrier 1 / (1 + (burden / reference)^k); k = 2 (the default) avoids pow in the hot loop.
  const bool square = afford_steepness_ == 2.0;
  const double inverse_ref = 1.0 / afford_ref_, steepness = afford_steepness_;
  auto afford = [=](double burden) {
    const double x = burden * inverse_ref;
    return 1.0 / (1.0 + (square ? x * x : std::pow(x, steepness)));
  };
  // Locals, not members: the byte-sized stores below could otherwise alias them.
  const Agents::View v = world.agents.view();
  const SocialNetwork::Rows net = world.network.rows();
  const RandomKey key = world.key;
  const double* const shares = place_share_.data();
  const double device_rate = device_rate_, women = women_, lapse_burden = lapse_burden_;
  const double lapse_rate = lapse_rate_, innovation = innovation_, imitation = imitation_;
  const double coverage_2g = coverage_2g_, no_skills = no_skills_, disability = disability_;
  const double child = child_;
  const auto relevance = relevance_;
  const double* const voucher_factor = world.voucher_factor.data();
  const bool vouchers = vouchers_;
  const World::SchoolBands bands = world.school_bands();
  const double school_rate = school_rate_;
  // Where no group's users can lapse, living users with a phone have nothing to decide: one test.
  const bool none_may_lapse =
      std::none_of(may_lapse.begin(), may_lapse.end(), [](bool b) { return b; });
  constexpr std::uint8_t kSettled = status::alive | status::internet_user | status::mobile_owner;
  for (std::size_t i = range.begin; i < range.end; ++i) {
    const std::uint8_t st = v.status[i];
    if (none_may_lapse && (st & kSettled) == kSettled) continue;
    if (!(st & status::alive) || v.age_months[i] < 60) continue;
    const int g = v.income_group[i];
    if ((st & status::internet_user) && !may_lapse[g] && (st & status::mobile_owner)) continue;
    const bool owner = st & status::mobile_owner;
    const bool adult = v.age_months[i] >= 120;
    const double own_income = v.income[i] * income[g];
    const std::uint8_t t = v.traits[i];
    if (adult && !owner && v.coverage[i] > 0) {
      double hazard = device_rate * afford(handset[g] / own_income);
      if (!(t & trait::male)) hazard *= women;
      v.device_clock[i] -= static_cast<float>(hazard);
      if (v.device_clock[i] <= 0) {
        v.status[i] |= status::mobile_owner;
        v.device_clock[i] = exponential_clock(key, i, step, Purpose::device_clock);
        continue;  // a month to start using it
      }
    }
    // A data voucher (see docs/interventions.md) lowers the agent's own data price while valid.
    const std::uint8_t voucher = vouchers ? v.voucher[i] : 0;
    const double data_price =
        voucher && v.voucher_until[i] >= step ? data[g] * voucher_factor[voucher] : data[g];
    const double cost = data_price + (owner ? 0.0 : handset[g]);
    const double burden = cost / own_income;
    if (st & status::internet_user) {
      // Affordability is lost when the data cost weighs more than at the start and too much.
      if (!may_lapse[g] || data_price / own_income <= lapse_burden) continue;
      v.adoption_clock[i] -= static_cast<float>(lapse_rate);
      if (v.adoption_clock[i] > 0) continue;
      v.status[i] = static_cast<std::uint8_t>((st & ~status::internet_user) | status::changed);
      v.adoption_clock[i] = exponential_clock(key, i, step, Purpose::adoption_clock);
      continue;
    }
    const int coverage = v.coverage[i];
    // Pupils of schools connected during the run go online there, network or not, at a hazard
    // of their own (docs/interventions.md).
    const double school = bands.pupil(v, i) ? school_rate : 0.0;
    if (coverage == 0) {
      if (school == 0.0) continue;
      v.adoption_clock[i] -= static_cast<float>(school);
      if (v.adoption_clock[i] > 0) continue;
      v.status[i] = static_cast<std::uint8_t>(st | status::internet_user | status::changed);
      v.adoption_clock[i] = exponential_clock(key, i, step, Purpose::adoption_clock);
      continue;
    }
    const std::uint32_t contacts = net.degree(i);
    const double share = contacts ? static_cast<double>(v.online_contacts[i]) / contacts
                                  : shares[place_of(v.region[i], t & trait::rural)];
    double hazard = innovation + imitation * share;
    hazard *= coverage == 1 ? coverage_2g : 1.0;
    hazard *= afford(burden);
    // Skills are measured from age 10; younger children go online with their families.
    if (adult) hazard *= v.skill[i] > 0 ? 1.0 : no_skills;
    hazard *= relevance[g];
    if (!(t & trait::male)) hazard *= women;
    if (t & trait::disability) hazard *= disability;
    if (!adult) hazard *= child;
    hazard += school;
    v.adoption_clock[i] -= static_cast<float>(hazard);
    if (v.adoption_clock[i] > 0) continue;
    std::uint8_t next = st | status::internet_user | status::changed;
    if (adult) next |= status::mobile_owner;  // the device comes with it
    v.status[i] = next;
    v.adoption_clock[i] = exponential_clock(key, i, step, Purpose::adoption_clock);
  }
}

}  // namespace divsim::detail
