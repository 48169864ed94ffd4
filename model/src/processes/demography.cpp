// Ageing, deaths, births and immigration. Deaths are drawn once per agent (a scheduled step), so
// the monthly pass only compares. Births keep each region's children under 10 on the WPP 2024
// projection; immigrants aged 10 and over then close the gap to its total population.
#include "processes/demography.h"

#include <algorithm>
#include <cmath>

#include "divsim/core/error.h"
#include "processes/parallel.h"

namespace divsim::detail {
namespace {

/** A projection at a date: log-linear between the start year's value and mid-year values. */
double projected(const std::vector<std::pair<int, double>>& projection, double at_start,
                 const CivilDate& start, const CivilDate& date) {
  std::vector<std::pair<double, double>> anchors;  // (days since start, persons)
  for (const auto& [year, persons] : projection) {
    if (year == start.year) anchors.emplace_back(0.0, persons);
    if (year > start.year) {
      anchors.emplace_back(
          static_cast<double>(days_from_civil({year, 7, 1}) - days_from_civil(start)), persons);
    }
  }
  const double t = static_cast<double>(days_from_civil(date) - days_from_civil(start));
  if (anchors.size() < 2) return anchors.empty() ? at_start : anchors.front().second;
  std::size_t k = 1;
  while (k + 1 < anchors.size() && anchors[k].first < t) ++k;
  const auto [t0, p0] = anchors[k - 1];
  const auto [t1, p1] = anchors[k];
  return p0 * std::exp(std::log(p1 / p0) * (t - t0) / (t1 - t0));
}

/** The projection of children under 10: the total less those aged 10 and over, year by year. */
std::vector<std::pair<int, double>> under_10(const Region& region) {
  std::vector<std::pair<int, double>> out;
  for (std::size_t k = 0; k < region.projection.size(); ++k) {
    out.emplace_back(region.projection[k].first,
                     region.projection[k].second - region.projection_10plus[k].second);
  }
  return out;
}

}  // namespace

Demography::Demography(const ParameterSet& params)
    : params_(params), slope_(params.get("demography.gompertz_slope")) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    modal_age_[g] = params.get("demography.modal_age_at_death." + std::string(kIncomeGroupKeys[g]));
  }
}

std::uint16_t Demography::death_step(const World& world, std::uint64_t id, int step, int age_months,
                                     int income_group) const {
  // Gompertz: survival from age a0 to a is exp(-(B/c)(e^{ca} - e^{ca0})) with B = c e^{-cM};
  // inverting for an exponential draw E gives a = ln(e^{ca0} + e^{cM} E) / c.
  const double e = -std::log(open_unit(random_words(world.key, id, step, Purpose::death)[0]));
  const double a0 = age_months / 12.0;
  const double a =
      std::log(std::exp(slope_ * a0) + std::exp(slope_ * modal_age_[income_group]) * e) / slope_;
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
  target_young_.assign(steps + 1, std::vector<double>(regions.size()));
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const auto young = under_10(regions[r]);
    for (int s = 0; s <= steps; ++s) {
      const CivilDate date = add_months(world.scenario.start, s);
      target_[s][r] =
          projected(regions[r].projection, regions[r].population, world.scenario.start, date);
      target_young_[s][r] = projected(young, regions[r].population - regions[r].population_10plus,
                                      world.scenario.start, date);
    }
  }
  alive_.assign(regions.size(), 0);
  std::vector<std::int64_t> dying(regions.size(), 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ++alive_[a.region[i]];
    if (a.death_month[i] <= steps) ++dying[a.region[i]];
  }
  // Immigrants copy a resident aged 10+ of their region from the start population, where the
  // agents of a region are contiguous (synthesis stores them by place).
  donors_.assign(regions.size() + 1, 0);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i > 0 && a.region[i] < a.region[i - 1]) {
      throw RuntimeFailure("demography: agents are not stored region by region");
    }
    donors_[a.region[i] + 1] = i + 1;
  }
  for (std::size_t r = 1; r <= regions.size(); ++r)
    donors_[r] = std::max(donors_[r], donors_[r - 1]);
  carry_.assign(regions.size(), 0.0);
  carry_migrants_.assign(regions.size(), 0.0);
  // Room for the births and immigrants to come, so that the arrays are not moved while the run
  // grows them: the end population less the survivors, plus a margin for those who die within it.
  double births = 0;
  for (std::size_t r = 0; r < regions.size(); ++r) {
    births += std::max(
        0.0, target_[steps][r] / world.person_weight - static_cast<double>(alive_[r] - dying[r]));
  }
  a.reserve(a.size() + static_cast<std::size_t>(births * 1.05) + 1024);
}

void Demography::prepare(World& world) {
  const std::size_t chunks = (world.agents.size() + kAgentChunk - 1) / kAgentChunk;
  deaths_partial_.assign(chunks * alive_.size(), 0);
  young_partial_.assign(chunks * alive_.size(), 0);
}

void Demography::update(World& world, const AgentRange& range) {
  const auto step = static_cast<std::uint16_t>(world.step);
  const Agents::View v = world.agents.view();  // a local: the byte stores below cannot alias it
  std::int64_t* const deaths = deaths_partial_.data() + range.chunk * alive_.size();
  std::int64_t* const young = young_partial_.data() + range.chunk * alive_.size();
  for (std::size_t i = range.begin; i < range.end; ++i) {
    const std::uint8_t st = v.status[i];
    if (!(st & status::alive)) continue;
    if (v.death_month[i] == step) {
      // Contacts of a user who dies lose an online contact (see Simulation).
      const std::uint8_t changed = (st & status::internet_user) ? status::changed : 0;
      v.status[i] = static_cast<std::uint8_t>((st & ~(status::alive | status::arrived)) | changed);
      ++deaths[v.region[i]];
      continue;
    }
    if (st & status::arrived) v.status[i] = static_cast<std::uint8_t>(st & ~status::arrived);
    const std::uint16_t age = v.age_months[i];
    if (age < 0xFFFF) v.age_months[i] = static_cast<std::uint16_t>(age + 1);
    if (age + 1 < 120) ++young[v.region[i]];
  }
}

void Demography::finish(World& world) {
  const std::size_t regions = alive_.size();
  const std::size_t chunks = deaths_partial_.size() / regions;
  std::vector<std::int64_t> young(regions, 0);
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t r = 0; r < regions; ++r) {
      alive_[r] -= deaths_partial_[c * regions + r];
      young[r] += young_partial_[c * regions + r];
    }
  }
  const double weight = world.person_weight;
  for (std::size_t r = 0; r < regions; ++r) {
    // Births keep the children under 10 on the projection; the fractions are carried over.
    const double wanted =
        target_young_[world.step][r] / weight - static_cast<double>(young[r]) + carry_[r];
    const auto births = static_cast<std::int64_t>(std::max(0.0, std::floor(wanted)));
    carry_[r] = std::max(0.0, wanted) - static_cast<double>(births);
    add_births(world, static_cast<int>(r), births);
    // Immigrants close what remains of the gap to the total: net migration, and whatever the
    // model's mortality misses. A surplus is not removed (nobody emigrates).
    const double gap =
        target_[world.step][r] / weight - static_cast<double>(alive_[r]) + carry_migrants_[r];
    const auto migrants = static_cast<std::int64_t>(std::max(0.0, std::floor(gap)));
    carry_migrants_[r] = std::max(0.0, gap) - static_cast<double>(migrants);
    add_migrants(world, static_cast<int>(r), migrants);
  }
}

void Demography::add_migrants(World& world, int region_index, std::int64_t migrants) {
  if (migrants <= 0) return;
  Agents& a = world.agents;
  const std::size_t lo = donors_[region_index], size = donors_[region_index + 1] - lo;
  if (size == 0) return;  // a region without people at the start gets no immigrants either
  const std::size_t first = a.size();
  a.resize(first + static_cast<std::size_t>(migrants));
  const auto step = static_cast<std::uint64_t>(world.step);
  for (std::size_t i = first; i < a.size(); ++i) {
    // A donor: a living resident aged 10+ from the start population, found by up to 64 draws and
    // otherwise by a scan from the last one (deterministic either way).
    std::size_t donor = lo;
    bool found = false;
    for (std::uint64_t block = 0; block < 16 && !found; ++block) {
      const auto w = random_words(world.key, i, step, Purpose::migration, block + 1);
      for (int k = 0; k < 4 && !found; ++k) {
        donor = lo + static_cast<std::size_t>(open_unit(w[k]) * static_cast<double>(size));
        found = a.alive(donor) && a.age_months[donor] >= 120;
      }
    }
    for (std::size_t step_on = 0; !found && step_on < size; ++step_on) {
      donor = lo + (donor - lo + 1) % size;
      found = a.alive(donor) && a.age_months[donor] >= 120;
    }
    if (!found) {  // nobody aged 10+ is left in the region to resemble: no immigrants this month
      migrants = static_cast<std::int64_t>(i - first);
      a.resize(i);
      break;
    }
    a.region[i] = static_cast<std::uint16_t>(region_index);
    a.income_group[i] = a.income_group[donor];
    a.traits[i] = a.traits[donor];
    a.age_months[i] = a.age_months[donor];
    a.remoteness[i] = a.remoteness[donor];
    a.coverage[i] = a.coverage[donor];
    const std::uint8_t kept = status::internet_user | status::mobile_owner;
    a.status[i] =
        static_cast<std::uint8_t>(status::alive | status::arrived | (a.status[donor] & kept));
    a.skill[i] = a.skill[donor];
    a.income[i] = a.income[donor];
    a.weight[i] = world.person_weight;
    a.death_month[i] = death_step(world, i, world.step, a.age_months[i], a.income_group[i]);
    a.school_month[i] = kNever;
    const auto w = random_words(world.key, i, step, Purpose::migration, 0);
    a.adoption_clock[i] = static_cast<float>(-std::log(open_unit(w[0])));
    a.skill_clock[i] = static_cast<float>(-std::log(open_unit(w[1])));
    a.device_clock[i] = static_cast<float>(-std::log(open_unit(w[2])));
    a.online_contacts[i] = 0;
  }
  alive_[region_index] += migrants;
}

void Demography::add_births(World& world, int region_index, std::int64_t births) {
  if (births <= 0) return;
  Agents& a = world.agents;
  const Region& region = world.plan.regions[region_index];
  const std::string group(kIncomeGroupKeys[region.income_group]);
  const double female = params_.get("population.female_share");
  const double disabled = params_.get("population.disability_prevalence.0_9");
  const double log_sd = params_.get("income.log_sd." + group);
  const double log_mean =
      std::log(params_.get("income.mean_monthly_usd." + group)) - 0.5 * log_sd * log_sd;
  const double weight = world.person_weight;
  const std::size_t first = a.size();
  a.resize(first + static_cast<std::size_t>(births));
  // Each newborn's draws are keyed on its own id: the same on any number of threads.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(first, a.size(), 1024), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const auto w =
          random_words(world.key, i, static_cast<std::uint64_t>(world.step), Purpose::birth);
      const auto w2 =
          random_words(world.key, i, static_cast<std::uint64_t>(world.step), Purpose::birth, 1);
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
      a.income[i] =
          static_cast<float>(std::exp(log_mean + log_sd * normal_quantile(open_unit(w2[0]))));
      a.weight[i] = weight;
      a.death_month[i] = death_step(world, i, world.step, 0, region.income_group);
      a.school_month[i] = kNever;
      a.adoption_clock[i] = static_cast<float>(-std::log(open_unit(w2[1])));
      a.skill_clock[i] = static_cast<float>(-std::log(open_unit(w2[2])));
      a.device_clock[i] = static_cast<float>(-std::log(open_unit(w2[3])));
      a.online_contacts[i] = 0;
    }
  });
  alive_[region_index] += births;
}

}  // namespace divsim::detail
