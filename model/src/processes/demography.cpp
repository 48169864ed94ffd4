// Ageing, deaths and births. Deaths are drawn once per agent (a scheduled step), so the monthly
// pass only compares; births fill the gap between the living and the WPP 2024 projection.
#include "processes/demography.h"

#include <algorithm>
#include <cmath>

#include "divsim/core/error.h"
#include "processes/parallel.h"

namespace divsim::detail {
namespace {

/** Persons in a region at a date: log-linear between the start year and mid-year projections. */
double projected(const Region& region, const CivilDate& start, const CivilDate& date) {
  std::vector<std::pair<double, double>> anchors;  // (days since start, persons)
  for (const auto& [year, persons] : region.projection) {
    if (year == start.year) anchors.emplace_back(0.0, persons);
    if (year > start.year) {
      anchors.emplace_back(
          static_cast<double>(days_from_civil({year, 7, 1}) - days_from_civil(start)), persons);
    }
  }
  const double t = static_cast<double>(days_from_civil(date) - days_from_civil(start));
  if (anchors.size() < 2) return anchors.empty() ? region.population : anchors.front().second;
  std::size_t k = 1;
  while (k + 1 < anchors.size() && anchors[k].first < t) ++k;
  const auto [t0, p0] = anchors[k - 1];
  const auto [t1, p1] = anchors[k];
  return p0 * std::exp(std::log(p1 / p0) * (t - t0) / (t1 - t0));
}

}  // namespace

Demography::Demography(const ParameterSet& params)
    : params_(params), slope_(params.get("demography.gompertz_slope")) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    modal_age_[g] =
        params.get("demography.modal_age_at_death." + std::string(kIncomeGroupKeys[g]));
  }
}

std::uint16_t Demography::death_step(const World& world, std::uint64_t id, int step,
                                     int age_months, int income_group) const {
  // Gompertz: survival from age a0 to a is exp(-(B/c)(e^{ca} - e^{ca0})) with B = c e^{-cM};
  // inverting for an exponential draw E gives a = ln(e^{ca0} + e^{cM} E) / c.
  const double e = -std::log(open_unit(random_words(world.key, id, step, Purpose::death)[0]));
  const double a0 = age_months / 12.0;
  const double a = std::log(std::exp(slope_ * a0) + std::exp(slope_ * modal_age_[income_group]) * e) / slope_;
  const double months = std::ceil((a - a0) * 12.0);
  const double at = step + std::max(1.0, months);
  return at >= kNever ? kNever : static_cast<std::uint16_t>(at);
}

void Demography::initialize(World& world) {
  Agents& a = world.agents;
  for_agents(a.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      a.death_month[i] = death_step(world, i, 0, a.age_months[i], a.income_group[i]);
    }
  });
  const auto& regions = world.plan.regions;
  const int steps = world.scenario.steps();
  target_.assign(steps + 1, std::vector<double>(regions.size()));
  for (int s = 0; s <= steps; ++s) {
    for (std::size_t r = 0; r < regions.size(); ++r) {
      target_[s][r] = projected(regions[r], world.scenario.start, add_months(world.scenario.start, s));
    }
  }
  alive_.assign(regions.size(), 0);
  std::vector<std::int64_t> dying(regions.size(), 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ++alive_[a.region[i]];
    if (a.death_month[i] <= steps) ++dying[a.region[i]];
  }
  carry_.assign(regions.size(), 0.0);
  // Room for the births to come, so that the arrays are not moved while the run grows them: the
  // end population less the survivors, plus a margin for the newborns who die within the run.
  double births = 0;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    births += std::max(0.0, target_[steps][r] / world.person_weight -
                                static_cast<double>(alive_[r] - dying[r]));
  }
  a.reserve(a.size() + static_cast<std::size_t>(births * 1.05) + 1024);
}

void Demography::prepare(World& world) {
  const std::size_t chunks = (world.agents.size() + kAgentChunk - 1) / kAgentChunk;
  deaths_partial_.assign(chunks * alive_.size(), 0);
}

void Demography::update(World& world, const AgentRange& range) {
  const auto step = static_cast<std::uint16_t>(world.step);
  const Agents::View v = world.agents.view();  // a local: the byte stores below cannot alias it
  std::int64_t* const deaths = deaths_partial_.data() + range.chunk * alive_.size();
  for (std::size_t i = range.begin; i < range.end; ++i) {
    const std::uint8_t st = v.status[i];
    if (!(st & status::alive)) continue;
    if (v.death_month[i] == step) {
      // Contacts of a user who dies lose an online contact (see Simulation).
      const std::uint8_t changed = (st & status::internet_user) ? status::changed : 0;
      v.status[i] = static_cast<std::uint8_t>((st & ~status::alive) | changed);
      ++deaths[v.region[i]];
      continue;
    }
    if (v.age_months[i] < 0xFFFF) ++v.age_months[i];
  }
}

void Demography::finish(World& world) {
  const std::size_t regions = alive_.size();
  const std::size_t chunks = deaths_partial_.size() / regions;
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t r = 0; r < regions; ++r) alive_[r] -= deaths_partial_[c * regions + r];
  }
  const double weight = world.person_weight;
  for (std::size_t r = 0; r < regions; ++r) {
    const double wanted = target_[world.step][r] / weight - static_cast<double>(alive_[r]) + carry_[r];
    const auto births = static_cast<std::int64_t>(std::max(0.0, std::floor(wanted)));
    carry_[r] = std::max(0.0, wanted) - static_cast<double>(births);
    add_births(world, static_cast<int>(r), births);
  }
}

void Demography::add_births(World& world, int region_index, std::int64_t births) {
  if (births <= 0) return;
  Agents& a = world.agents;
  const Region& region = world.plan.regions[region_index];
  const std::string group(kIncomeGroupKeys[region.income_group]);
  const double female = params_.get("population.female_share");
  const double disabled = params_.get("population.disability_prevalence.0_9");
  const double log_sd = params_.get("income.log_sd." + group);
  const double log_mean = std::log(params_.get("income.mean_monthly_usd." + group)) - 0.5 * log_sd * log_sd;
  const double weight = world.person_weight;
  const std::size_t first = a.size();
  a.resize(first + static_cast<std::size_t>(births));
  for (std::size_t i = first; i < a.size(); ++i) {
    const auto w = random_words(world.key, i, static_cast<std::uint64_t>(world.step), Purpose::birth);
    const auto w2 = random_words(world.key, i, static_cast<std::uint64_t>(world.step), Purpose::birth, 1);
    const bool rural = open_unit(w[0]) >= region.urban_share;
    a.region[i] = static_cast<std::uint16_t>(region_index);
    a.income_group[i] = static_cast<std::uint8_t>(region.income_group);
    a.traits[i] = static_cast<std::uint8_t>((rural ? trait::rural : 0) |
                                            (open_unit(w[1]) >= female ? trait::male : 0) |
                                            (open_unit(w[2]) < disabled ? trait::disability : 0));
    a.age_months[i] = 0;
    a.remoteness[i] = static_cast<float>(open_unit(w[3]));
    const auto& f = world.frontier[place_of(region_index, rural)];
    int level = 0;
    for (int g = 0; g < kGenerations; ++g) {
      if (a.remoteness[i] < f[g]) level = g + 1;
    }
    a.coverage[i] = static_cast<std::uint8_t>(level);
    a.status[i] = status::alive;
    a.skill[i] = 0;
    a.income[i] = static_cast<float>(std::exp(log_mean + log_sd * normal_quantile(open_unit(w2[0]))));
    a.weight[i] = weight;
    a.death_month[i] = death_step(world, i, world.step, 0, region.income_group);
    a.school_month[i] = kNever;
    a.adoption_clock[i] = static_cast<float>(-std::log(open_unit(w2[1])));
    a.skill_clock[i] = static_cast<float>(-std::log(open_unit(w2[2])));
    a.device_clock[i] = static_cast<float>(-std::log(open_unit(w2[3])));
    a.online_contacts[i] = 0;
  }
  alive_[region_index] += births;
}

}  // namespace divsim::detail
