// Money moves in whole cents: funds collect (a released share and an idle rest), programmes draw
// their share or budget, spend on places and prices before the sweep, and settle their offers
// after it in queue order. Every step is serial and in a fixed order, so rationing never depends
// on threads; the sweep only collects candidates, each chunk into its own list.
#include "policy/policy.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "policy/intervention.h"

namespace divsim::detail {

namespace {

constexpr std::uint64_t kRoundEnd = std::uint64_t{1} << 32;
constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

void assign_lottery(World& world, std::size_t begin, std::size_t end, int step) {
  Agents& a = world.agents;
  const RandomKey key = world.key;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(begin, end, 4096), [&](const auto& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const auto w =
          random_words(key, i, static_cast<std::uint64_t>(step), Purpose::programme_queue);
      a.lottery[i] = static_cast<std::uint32_t>(w[0] >> 32);
    }
  });
}

}  // namespace

Policy::Policy(const ParameterSet& params) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    school_start_[g] = params.get("schools.start_share." + std::string(kIncomeGroupKeys[g]));
  }
}

void Policy::initialize(World& world) {
  const Scenario& scenario = world.scenario;
  std::vector<Ledger::Source> sources;
  std::vector<Ledger::Programme> programmes;
  std::map<std::string, std::size_t> fund_index;
  for (const auto& spec : scenario.interventions) {
    interventions_.push_back(make_intervention(spec, scenario.parameters));
    Intervention* it = interventions_.back().get();
    if (it->role() == InterventionRole::fund) {
      fund_index[spec.name] = funds_.size();
      funds_.push_back({it});
      sources.push_back({spec.name, spec.type, it->instrument()});
    }
  }
  for (const auto& owned : interventions_) {
    Intervention* it = owned.get();
    if (it->role() != InterventionRole::programme) continue;
    const InterventionSpec& spec = it->spec();
    Programme p;
    p.intervention = it;
    p.fund = fund_index.at(spec.funding);
    p.mask = TargetMask(spec.target, world.plan.regions);
    p.share = spec.number("share");
    p.monthly_budget = to_cents(spec.number("budget_musd_per_year") * 1e6 / 12);
    programmes.push_back({spec.name, spec.type, spec.funding, p.fund, it->use()});
    programmes_.push_back(std::move(p));
  }
  world.ledger = Ledger(std::move(sources), std::move(programmes), scenario.steps());
  world.voucher_factor.fill(1.0);
  world.voucher_slots = 0;

  const std::size_t places = world.frontier.size();
  world.school_start.resize(places);
  for (std::size_t p = 0; p < places; ++p) {
    world.school_start[p] = school_start_[world.plan.regions[p / 2].income_group];
  }
  world.school_frontier = world.school_start;

  for (auto& f : funds_) {
    f.intervention->initialize(world,
                               TargetMask(f.intervention->spec().target, world.plan.regions));
  }
  for (auto& p : programmes_) {
    p.intervention->initialize(world, p.mask);
    any_offers_ = any_offers_ || p.intervention->makes_offers();
  }
  if (any_offers_ || world.voucher_slots > 0) world.agents.enable_programme_state();
  if (any_offers_) {
    assign_lottery(world, 0, world.agents.size(), 0);
    queued_ = world.agents.size();
    for (auto& p : programmes_) start_round(world, p);
  }
}

void Policy::start_round(const World& world, Programme& p) {
  const auto w = random_words(world.key, stream_of(p.intervention->spec().name), p.queue.round,
                              Purpose::programme_round);
  p.queue.multiplier = static_cast<std::uint32_t>(w[0]) | 1u;  // odd: a permutation of 2^32
  p.queue.offset = static_cast<std::uint32_t>(w[1]);
  p.queue.lo = 0;
}

void Policy::prepare(World& world) {
  const auto t = static_cast<std::size_t>(world.step);
  if (t == 1) record(world, 0);  // the start's school shares need the first observation
  if (any_offers_ && world.agents.size() > queued_) {
    assign_lottery(world, queued_, world.agents.size(), world.step);
    queued_ = world.agents.size();
  }
  Ledger& ledger = world.ledger;

  std::vector<Cents> released(funds_.size(), 0);
  for (std::size_t s = 0; s < funds_.size(); ++s) {
    Fund& f = funds_[s];
    Intervention& it = *f.intervention;
    const bool loan = it.instrument() == "development_bank_loan";
    // Debt is reported, not conserved: saturated far above any real figure rather than wrapped.
    constexpr double kDebtCeiling = 1e18;  // cents
    f.debt = std::llround(
        std::min(kDebtCeiling, static_cast<double>(f.debt) * (1 + it.monthly_interest())));
    if (!it.spec().active(world.month)) continue;
    const Inflow in = it.inflow(world);
    const Cents pub = std::max<Cents>(0, in.public_part),
                priv = std::max<Cents>(0, in.private_part);
    ledger.add_inflow(t, s, pub, priv);
    const Cents total = pub + priv;
    const Cents release = std::clamp<Cents>(
        to_cents(it.disbursement_efficiency() * static_cast<double>(total) / 100), 0, total);
    f.undisbursed += release;
    released[s] = release;
    f.idle += total - release;
    if (loan) f.debt = std::min(f.debt + pub, static_cast<Cents>(kDebtCeiling));
  }

  // Shares are of what each fund released this month, so their order does not matter; budgets
  // then draw in scenario order from what the fund holds. Ended programmes give back their balance.
  auto draw = [&](Programme& p, Cents wanted) {
    const Cents d = std::clamp<Cents>(wanted, 0, funds_[p.fund].undisbursed);
    funds_[p.fund].undisbursed -= d;
    p.balance += d;
  };
  for (auto& p : programmes_) {
    const InterventionSpec& spec = p.intervention->spec();
    if (spec.active(world.month) && p.share > 0) {
      draw(p, static_cast<Cents>(std::floor(p.share * static_cast<double>(released[p.fund]))));
    }
  }
  for (auto& p : programmes_) {
    const InterventionSpec& spec = p.intervention->spec();
    if (spec.active(world.month) && p.monthly_budget > 0) draw(p, p.monthly_budget);
    if (spec.end < world.month && p.balance > 0) {
      funds_[p.fund].undisbursed += p.balance;
      p.balance = 0;
    }
  }

  const std::size_t chunks = (world.agents.size() + kAgentChunk - 1) / kAgentChunk;
  for (std::size_t k = 0; k < programmes_.size(); ++k) {
    Programme& p = programmes_[k];
    if (!p.intervention->spec().active(world.month)) continue;
    double reached = 0;  // persons
    const Cents spent = p.intervention->spend(world, p.mask, p.balance, reached);
    p.balance -= spent;
    if (spent != 0 || reached != 0) ledger.add_spending(t, k, spent, reached);
    if (p.intervention->makes_offers() && p.balance > 0) {
      p.intervention->prepare_offers(world);
      open_window(world, p, chunks);
    }
  }
  world.schools_moved = false;
  for (std::size_t p = 0; p < world.school_frontier.size(); ++p) {
    world.schools_moved = world.schools_moved || world.school_frontier[p] > world.school_start[p];
  }
}

void Policy::open_window(World& world, Programme& p, std::size_t chunks) {
  Queue& q = p.queue;
  const double needed =
      static_cast<double>(p.balance / p.intervention->least_offer_cost(world)) + 1;
  if (q.density < 0) {  // first month: every agent of the target, an overestimate of the eligible
    // Strata weighted by the share of their income group and area that lives in the target's
    // places (all of it unless the target names regions).
    std::array<double, kIncomeGroups * kAreas> inside{}, all{};
    for (std::size_t place = 0; place < p.mask.place.size(); ++place) {
      const std::size_t k = world.plan.regions[place / 2].income_group * kAreas + place % 2;
      const double people = world.places[kPlaceMeasures * place];
      all[k] += people;
      if (p.mask.place[place]) inside[k] += people;
    }
    double persons = 0;
    for (int s = 0; s < kStrata; ++s) {
      if (!p.mask.stratum[s]) continue;
      const StratumKey key = stratum_key(s);
      const std::size_t k = static_cast<std::size_t>(key.income_group * kAreas + key.area);
      if (all[k] > 0) {
        persons +=
            world.counts[static_cast<int>(Measure::population) * kStrata + s] * inside[k] / all[k];
      }
    }
    q.density = persons / world.person_weight;
  }
  const double fraction = 1.25 * needed / std::max(q.density, 1.0);
  const double width = std::ceil(std::min(1.0, fraction) * static_cast<double>(kRoundEnd)) + 1;
  q.hi = q.lo + std::min(static_cast<std::uint64_t>(width), kRoundEnd - q.lo);
  q.capacity = static_cast<std::size_t>(std::min<double>(kAgentChunk, 2 * needed + 64));
  if (q.found.size() < chunks * q.capacity) q.found.resize(chunks * q.capacity);
  q.count.assign(chunks, 0);
  q.first_dropped.assign(chunks, kNone);
  p.offering = true;
}

void Policy::update(World& world, const AgentRange& range) {
  const Agents::View v = world.agents.view();
  const std::size_t n = range.end - range.begin;
  // Whether each agent of the block is in the window: a loop the compiler vectorises, so that
  // the few agents in the window are then found by skipping zero words.
  alignas(8) std::uint8_t in_window[kAgentBlock + 8];
  for (auto& p : programmes_) {
    if (!p.offering) continue;
    if (!world.any_place_of(range.begin, range.end,
                            [&](std::size_t place) { return p.mask.place[place] != 0; })) {
      continue;  // none of the block's places is in the programme's target
    }
    Queue& q = p.queue;
    const std::uint32_t* const lottery = v.lottery + range.begin;
    const std::uint32_t multiplier = q.multiplier;
    const std::uint32_t shift = q.offset - static_cast<std::uint32_t>(q.lo);
    if (q.hi - q.lo >= kRoundEnd) {
      std::memset(in_window, 1, n);
    } else {
      const auto width = static_cast<std::uint32_t>(q.hi - q.lo);
      for (std::size_t k = 0; k < n; ++k) {
        in_window[k] = static_cast<std::uint32_t>(multiplier * lottery[k] + shift) < width;
      }
    }
    std::memset(in_window + n, 0, 8);
    CandidateList list{q.found.data() + range.chunk * q.capacity, q.capacity, q.count[range.chunk],
                       q.first_dropped[range.chunk]};
    p.intervention->collect(p.mask, range, {v, world.step, in_window, multiplier, q.offset}, list);
    q.count[range.chunk] = list.count;
    q.first_dropped[range.chunk] = list.first_dropped;
  }
}

void Policy::settle_offers(World& world, Programme& p, std::size_t index) {
  Queue& q = p.queue;
  std::vector<std::uint64_t> found;
  std::uint64_t bound = kNone, total = 0;
  for (std::size_t c = 0; c < q.count.size(); ++c) {
    const std::size_t kept = std::min<std::size_t>(q.count[c], q.capacity);
    found.insert(found.end(), q.found.begin() + c * q.capacity,
                 q.found.begin() + c * q.capacity + kept);
    bound = std::min(bound, q.first_dropped[c]);
    total += q.count[c];
  }
  std::sort(found.begin(), found.end());
  const Agents::View v = world.agents.view();
  std::uint64_t stop = std::min(q.hi, bound);
  Cents spent = 0;
  std::int64_t reached = 0;
  for (const std::uint64_t entry : found) {
    const std::uint64_t position = entry >> 32;
    const std::size_t i = entry & 0xFFFFFFFFu;
    if (position >= bound) break;  // a chunk kept no more: the rest waits for next month
    if (!p.intervention->eligible(v, i, world.step)) continue;  // changed in the sweep
    const Cents cost = p.intervention->offer_cost(world, i);
    if (cost > p.balance || !p.intervention->has_room()) {
      stop = position;  // money or seats ran out: this agent is first in line next month
      break;
    }
    if (p.intervention->offer(world, i)) {
      p.balance -= cost;
      spent += cost;
      ++reached;
    }
  }
  const double width = static_cast<double>(q.hi - q.lo) / static_cast<double>(kRoundEnd);
  if (width > 0) q.density = static_cast<double>(total) / width;
  q.lo = stop;
  if (q.lo >= kRoundEnd) {
    ++q.round;
    start_round(world, p);
  }
  if (spent != 0 || reached != 0) {
    world.ledger.add_spending(static_cast<std::size_t>(world.step), index, spent,
                              static_cast<double>(reached) * world.person_weight);
  }
  p.offering = false;
}

void Policy::finish(World& world) {
  for (std::size_t k = 0; k < programmes_.size(); ++k) {
    if (programmes_[k].offering) settle_offers(world, programmes_[k], k);
  }
  record(world, static_cast<std::size_t>(world.step));
}

void Policy::record(World& world, std::size_t t) {
  Ledger& ledger = world.ledger;
  for (std::size_t s = 0; s < funds_.size(); ++s) {
    Cents allotted = 0;
    for (const auto& p : programmes_) allotted += p.fund == s ? p.balance : 0;
    const Fund& f = funds_[s];
    ledger.set_balances(t, s, f.idle, f.undisbursed, allotted, f.debt);
  }
  for (std::size_t k = 0; k < programmes_.size(); ++k) {
    ledger.set_programme_balance(t, k, programmes_[k].balance);
  }
  std::array<double, kIncomeGroups> people{}, connected{};
  for (std::size_t p = 0; p < world.school_frontier.size() && !world.places.empty(); ++p) {
    const int g = world.plan.regions[p / 2].income_group;
    const double n = world.places[kPlaceMeasures * p];
    people[g] += n;
    connected[g] += n * world.school_frontier[p];
  }
  for (int g = 0; g < kIncomeGroups; ++g) {
    ledger.set_schools_connected(t, g, people[g] > 0 ? connected[g] / people[g] : 0.0);
  }
}

}  // namespace divsim::detail
