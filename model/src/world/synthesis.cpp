// The synthetic population: cells by largest remainder, attributes from counter-based draws.
#include "divsim/world/synthesis.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/huge_pages.h"
#include "divsim/world/neighbourhood.h"

namespace divsim {

void Agents::reserve(std::size_t n) {
  for_each_array([n](auto& array) { detail::reserve_in_huge_pages(array, n); });
}

void Agents::resize(std::size_t n) {
  region.resize(n);
  income_group.resize(n);
  traits.resize(n);
  age_months.resize(n);
  coverage.resize(n);
  remoteness.resize(n);
  status.resize(n);
  skill.resize(n);
  income.resize(n);
  weight.resize(n);
  death_month.resize(n, kNever);
  school_month.resize(n, kNever);
  adoption_clock.resize(n);
  skill_clock.resize(n);
  device_clock.resize(n);
  online_contacts.resize(n);
  if (!voucher.empty()) {
    lottery.resize(n);
    voucher.resize(n);
    voucher_until.resize(n);
  }
}

void Agents::enable_programme_state() {
  if (!voucher.empty()) return;
  const std::size_t room = std::max(region.capacity(), size());
  detail::reserve_in_huge_pages(lottery, room);
  detail::reserve_in_huge_pages(voucher, room);
  detail::reserve_in_huge_pages(voucher_until, room);
  lottery.resize(size());
  voucher.resize(size());
  voucher_until.resize(size());
}

WorldPlan plan_world(const Scenario& scenario) {
  WorldPlan plan;
  plan.regions = load_regions(scenario);
  plan.cells = plan_cells(plan.regions, scenario.parameters);
  const bool from_history = !scenario.history.rows_of_year(scenario.start.year, "start.").empty();
  try {
    plan.fit = fit_start_rates(plan.cells, scenario.parameters, start_figure_inputs(scenario));
    plan.coverage_history = fit_coverage_history(plan.cells, scenario);
  } catch (const RuntimeFailure& e) {
    // The figures are input: a set that cannot be fitted is the scenario's (or table's) to fix.
    if (from_history) throw InputError({scenario.history_file, 0, 0}, "start", e.what());
    throw InputError({scenario.file, 0, 0}, "parameters.start", e.what());
  } catch (const InputError& e) {
    if (!e.where().file.empty()) throw;
    throw InputError({scenario.history_file, 0, 0}, e.key(), e.message());
  }
  for (const auto& r : plan.regions) plan.population += r.population;
  // Interventions may target regions by name: those names must be in the regions file.
  std::vector<InputError> errors;
  for (std::size_t k = 0; k < scenario.interventions.size(); ++k) {
    for (const auto& name : scenario.interventions[k].target.regions) {
      const bool known = std::any_of(plan.regions.begin(), plan.regions.end(),
                                     [&](const Region& r) { return r.name == name; });
      if (!known) {
        errors.emplace_back(
            scenario.interventions[k].target.where_regions,
            "interventions[" + std::to_string(k) + "].target.regions",
            "expected a region of " + scenario.regions_file + ", found " + in_quotes(name));
      }
    }
  }
  if (!errors.empty()) throw InputErrors(std::move(errors));
  return plan;
}

std::vector<std::int64_t> WorldPlan::allot(std::int64_t agents) const {
  const std::size_t n = cells.size();
  std::vector<std::int64_t> count(n);
  std::vector<double> remainder(n);
  std::int64_t given = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const double exact = static_cast<double>(agents) * cells[c].population / population;
    count[c] = static_cast<std::int64_t>(std::floor(exact));
    remainder[c] = exact - static_cast<double>(count[c]);
    given += count[c];
  }
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  for (std::size_t k = 0; given < agents; ++k, ++given) ++count[order[k % n]];
  return count;
}

namespace {

struct CellDraw {
  std::array<double, kStartIndicators> rate;
  int age_first_month;
  int age_months_span;
  std::uint8_t traits;
  double log_mean;  // of income
  double log_sd;
};

}  // namespace

Agents synthesize(const WorldPlan& plan, const ParameterSet& params, std::int64_t agents,
                  const RandomKey& key, std::size_t capacity) {
  const std::vector<std::int64_t> count = plan.allot(agents);
  std::vector<std::int64_t> first(count.size() + 1, 0);
  std::partial_sum(count.begin(), count.end(), first.begin() + 1);

  std::vector<CellDraw> draw(plan.cells.size());
  for (std::size_t c = 0; c < plan.cells.size(); ++c) {
    const WorldCell& cell = plan.cells[c];
    CellDraw& d = draw[c];
    for (int i = 0; i < kStartIndicators; ++i) d.rate[i] = plan.fit.rates[i][c];
    const int first_year = kAgeBandStartYears[cell.age_band];
    const int end_year =
        cell.age_band + 1 < kAgeBands ? kAgeBandStartYears[cell.age_band + 1] : kMaxAgeYears;
    d.age_first_month = 12 * first_year;
    d.age_months_span = 12 * (end_year - first_year);
    d.traits =
        static_cast<std::uint8_t>((cell.area ? trait::rural : 0) | (cell.sex ? trait::male : 0) |
                                  (cell.disability ? trait::disability : 0));
    const std::string group(kIncomeGroupKeys[cell.income_group]);
    d.log_sd = params.get("income.log_sd." + group);
    d.log_mean =
        std::log(params.get("income.mean_monthly_usd." + group)) - 0.5 * d.log_sd * d.log_sd;
  }

  const double couple_coverage = params.get("synthesis.coupling.internet_coverage");
  const double couple_mobile = params.get("synthesis.coupling.mobile_internet");
  const double rho = params.get("synthesis.coupling.income_internet");
  const double rho_rest = std::sqrt(1 - rho * rho);
  const double basic_user = params.get("synthesis.skills.basic_given_user");
  const double basic_nonuser = params.get("synthesis.skills.basic_given_nonuser");
  const double intermediate = params.get("synthesis.skills.intermediate_given_basic");
  const double advanced = params.get("synthesis.skills.advanced_given_intermediate");
  const double person_weight = plan.population / static_cast<double>(agents);
  const double old_age_mean = 12 * params.get("population.mean_years_over_65");  // months

  Agents a;
  a.reserve(std::max(capacity, static_cast<std::size_t>(agents)));
  a.resize(static_cast<std::size_t>(agents));
  using Range = tbb::blocked_range<std::size_t>;
  tbb::parallel_for(Range(0, count.size()), [&](const Range& cells) {
    for (std::size_t c = cells.begin(); c != cells.end(); ++c) {
      const CellDraw& d = draw[c];
      const WorldCell& cell = plan.cells[c];
      for (std::int64_t id = first[c]; id < first[c + 1]; ++id) {
        const std::size_t i = static_cast<std::size_t>(id);
        const auto uid = static_cast<std::uint64_t>(id);
        a.region[i] = static_cast<std::uint16_t>(cell.region);
        a.income_group[i] = static_cast<std::uint8_t>(cell.income_group);
        a.traits[i] = d.traits;
        a.weight[i] = person_weight;

        const double u_age = open_unit(random_words(key, uid, 0, Purpose::start_age)[0]);
        // Ages are uniform within a band, except in the open-ended last band, where numbers
        // fall with age: a truncated exponential excess over its first year.
        const double span = d.age_months_span;
        const double offset =
            cell.age_band + 1 < kAgeBands
                ? u_age * span
                : -old_age_mean * std::log(1 - u_age * (1 - std::exp(-span / old_age_mean)));
        a.age_months[i] = static_cast<std::uint16_t>(
            d.age_first_month + std::min(static_cast<int>(offset), d.age_months_span - 1));

        const double rank = open_unit(random_words(key, uid, 0, Purpose::start_remoteness)[0]);
        a.remoteness[i] = static_cast<float>(rank);
        // Levels from the stored rank, as every later re-levelling compares it.
        const double stored_rank = a.remoteness[i];
        int level = 0;
        for (int g = 0; g < 4; ++g) {
          if (stored_rank < d.rate[static_cast<int>(StartIndicator::coverage_2g_plus) + g]) {
            level = g + 1;
          }
        }
        a.coverage[i] = static_cast<std::uint8_t>(level);

        const auto net = random_words(key, uid, 0, Purpose::start_internet);
        const double use_rank = open_unit(net[0]) < couple_coverage ? rank : open_unit(net[1]);
        const bool user = use_rank < d.rate[static_cast<int>(StartIndicator::internet_use)];
        std::uint8_t st = status::alive | (user ? status::internet_user : 0);
        if (cell.age_band > 0) {
          const auto mob = random_words(key, uid, 0, Purpose::start_mobile);
          const double own_rank = open_unit(mob[0]) < couple_mobile ? use_rank : open_unit(mob[1]);
          if (own_rank < d.rate[static_cast<int>(StartIndicator::mobile_ownership_10plus)]) {
            st |= status::mobile_owner;
          }
        }
        a.status[i] = st;

        const auto sk = random_words(key, uid, 0, Purpose::start_skills);
        int skill = 0;  // skills are measured from age 10, like mobile ownership
        if (cell.age_band > 0 && open_unit(sk[0]) < (user ? basic_user : basic_nonuser)) {
          skill = 1;
          if (open_unit(sk[1]) < intermediate) {
            skill = 2;
            if (open_unit(sk[2]) < advanced) skill = 3;
          }
        }
        a.skill[i] = static_cast<std::uint8_t>(skill);

        const double noise =
            normal_quantile(open_unit(random_words(key, uid, 0, Purpose::start_income)[0]));
        const double score = rho * normal_quantile(1 - use_rank) + rho_rest * noise;
        a.income[i] = static_cast<float>(std::exp(d.log_mean + d.log_sd * score));
      }
    }
  });
  // Stored by neighbourhood: contacts are then mostly near each other in memory.
  if (const auto order = neighbourhood_order(a, plan.regions.size()); !order.empty())
    permute(a, order);
  return a;
}

}  // namespace divsim
