// From the parameter table's start.* figures and prior.* log-odds to fitted per-cell rates.
#include "divsim/world/start_targets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "divsim/core/error.h"
#include "divsim/world/joint_fit.h"
#include "divsim/world/strata.h"

namespace divsim {
namespace {

enum Dimension { kIncomeGroup, kArea, kSex, kAgeBand, kDisability, kDimensions };
constexpr std::array<std::string_view, kDimensions> kDimensionKeys = {"income_group", "area", "sex",
                                                                      "age_band", "disability"};

int category_count(int dimension) {
  static constexpr int counts[] = {kIncomeGroups, kAreas, kSexes, kAgeBands, kDisabilityStates};
  return counts[dimension];
}

std::string_view category_key(int dimension, int category) {
  switch (dimension) {
    case kIncomeGroup:
      return kIncomeGroupKeys[category];
    case kArea:
      return kAreaLabels[category];
    case kSex:
      return kSexLabels[category];
    case kAgeBand:
      return kAgeBandKeys[category];
    default:
      return kDisabilityLabels[category];
  }
}

int category_of(const WorldCell& cell, int dimension) {
  switch (dimension) {
    case kIncomeGroup:
      return cell.income_group;
    case kArea:
      return cell.area;
    case kSex:
      return cell.sex;
    case kAgeBand:
      return cell.age_band;
    default:
      return cell.disability;
  }
}

/** A start.* or prior.* name split into its filter: world, or (dimension, category). */
struct Filter {
  bool world = true;
  int dimension = 0;
  int category = 0;
};

std::optional<Filter> parse_filter(std::string_view rest) {
  if (rest == "world") return Filter{};
  for (int d = 0; d < kDimensions; ++d) {
    const std::string prefix = std::string(kDimensionKeys[d]) + ".";
    if (rest.substr(0, prefix.size()) != prefix) continue;
    const std::string_view cat = rest.substr(prefix.size());
    for (int c = 0; c < category_count(d); ++c) {
      if (cat == category_key(d, c)) return Filter{false, d, c};
    }
  }
  return std::nullopt;
}

bool in_filter(const WorldCell& cell, const Filter& f) {
  return f.world || category_of(cell, f.dimension) == f.category;
}

/** Coverage levels are fitted within the previous level's footprint, so they come out nested. */
int nested_within(int indicator) {
  return indicator > static_cast<int>(StartIndicator::coverage_2g_plus) ? indicator - 1 : -1;
}

bool in_base(const WorldCell& cell, int indicator) {
  return indicator != static_cast<int>(StartIndicator::mobile_ownership_10plus) ||
         cell.age_band > 0;
}

double sum_shares(const ParameterSet& params, const std::string& prefix) {
  double sum = 0;
  for (const auto& name : params.table().names_with_prefix(prefix)) sum += params.get(name);
  return sum;
}

std::string percent_text(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%", 100 * fraction);
  return text;
}

}  // namespace

std::vector<WorldCell> plan_cells(const std::vector<Region>& regions, const ParameterSet& params) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    const std::string prefix =
        "population.age_share_10plus." + std::string(kIncomeGroupKeys[g]) + ".";
    const double sum = sum_shares(params, prefix);
    if (std::abs(sum - 1.0) > 1e-9) {
      SourceLocation where{"calibration/parameters.csv", 0, 0};
      for (const auto& name : params.table().names_with_prefix(prefix)) {
        if (auto loc = params.override_location(name)) where = *loc;
      }
      throw InputError(where, "parameters." + prefix + "*",
                       "expected shares summing to 1, found " + format_number(sum));
    }
  }
  const double female = params.get("population.female_share");
  std::vector<WorldCell> cells;
  for (int r = 0; r < static_cast<int>(regions.size()); ++r) {
    const Region& region = regions[r];
    const std::string group(kIncomeGroupKeys[region.income_group]);
    const double share_10plus = region.population_10plus / region.population;
    for (int area = 0; area < kAreas; ++area) {
      const double area_share = area == 0 ? region.urban_share : 1 - region.urban_share;
      for (int sex = 0; sex < kSexes; ++sex) {
        const double sex_share = sex == 0 ? female : 1 - female;
        for (int band = 0; band < kAgeBands; ++band) {
          const double band_share =
              band == 0 ? 1 - share_10plus
                        : share_10plus * params.get("population.age_share_10plus." + group + "." +
                                                    std::string(kAgeBandKeys[band]));
          const double disabled =
              params.get("population.disability_prevalence." + std::string(kAgeBandKeys[band]));
          for (int dis = 0; dis < kDisabilityStates; ++dis) {
            WorldCell cell{r, region.income_group, area, sex, band, dis, 0};
            cell.population = region.population * area_share * sex_share * band_share *
                              (dis == 1 ? disabled : 1 - disabled);
            cells.push_back(cell);
          }
        }
      }
    }
  }
  return cells;
}

std::vector<StartFigureInput> start_figure_inputs(const Scenario& scenario) {
  std::vector<StartFigureInput> out;
  const auto rows = scenario.history.rows_of_year(scenario.start.year, "start.");
  if (rows.empty()) {
    const ParameterTable& table = scenario.parameters.table();
    for (const auto& name : table.names_with_prefix("start.")) {
      out.push_back({name, scenario.parameters.get(name), table.find(name)->source});
    }
    return out;
  }
  for (const auto& [name, point] : rows) {
    out.push_back(
        {name, point.value,
         point.source + " (" + scenario.history_file + ":" + std::to_string(point.line) + ")"});
  }
  for (const auto& key : kStartIndicatorKeys) {
    const std::string world = "start." + std::string(key) + ".world";
    const bool given = std::any_of(out.begin(), out.end(),
                                   [&](const StartFigureInput& f) { return f.parameter == world; });
    if (!given) {
      throw InputError({scenario.history_file, 0, 0}, world,
                       "expected a figure for " + std::to_string(scenario.start.year) +
                           " (the start year: every indicator needs a world figure), found none");
    }
  }
  return out;
}

StartFit fit_start_rates(const std::vector<WorldCell>& cells, const ParameterSet& params,
                         const std::vector<StartFigureInput>& figures, StartIndicator first) {
  const ParameterTable& table = params.table();
  const double tol_draft = params.get("synthesis.tolerance.draft") / 100;
  const double tol_reference = params.get("synthesis.tolerance.reference") / 100;
  StartFit out;

  for (int ind = static_cast<int>(first); ind < kStartIndicators; ++ind) {
    const std::string key(kStartIndicatorKeys[ind]);
    std::vector<double> weights(cells.size()), prior(cells.size(), 0.0);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      weights[c] = in_base(cells[c], ind) ? cells[c].population : 0.0;
    }
    for (const auto& name : table.names_with_prefix("prior." + key + ".")) {
      const auto filter = parse_filter(std::string_view(name).substr(7 + key.size()));
      if (!filter) throw std::logic_error("parameter table: unknown filter in " + name);
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (in_filter(cells[c], *filter)) prior[c] += params.get(name);
      }
    }

    const std::string prefix = "start." + key + ".";
    std::vector<const StartFigureInput*> given;
    for (const auto& f : figures) {
      if (f.parameter.rfind(prefix, 0) == 0) given.push_back(&f);
    }
    // A figure of 0 (no 4G yet, say) empties its cells; the other figures then describe the rest.
    std::vector<char> emptied(cells.size(), 0);
    for (const StartFigureInput* f : given) {
      if (f->value > 0) continue;
      const auto filter = parse_filter(std::string_view(f->parameter).substr(prefix.size()));
      if (!filter) throw std::logic_error("unknown filter in " + f->parameter);
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (in_filter(cells[c], *filter)) emptied[c] = 1;
      }
      out.figures.push_back({f->parameter, 0, 0, 0, f->source});
    }

    std::vector<MarginTarget> targets;
    std::vector<Filter> filters;
    std::vector<std::string> sources;
    for (const StartFigureInput* f : given) {
      if (!(f->value > 0)) continue;
      const auto filter = parse_filter(std::string_view(f->parameter).substr(prefix.size()));
      if (!filter) {
        throw InputError({}, f->parameter,
                         "expected world or a dimension and category after " + prefix + ", found " +
                             in_quotes(f->parameter.substr(prefix.size())));
      }
      MarginTarget t;
      t.name = f->parameter;
      t.value = f->value / 100;
      t.tolerance = f->source.rfind("draft", 0) == 0 ? tol_draft : tol_reference;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (weights[c] > 0 && !emptied[c] && in_filter(cells[c], *filter)) {
          t.cells.push_back(static_cast<int>(c));
        }
      }
      if (t.cells.empty()) continue;  // a figure for people this world does not hold
      targets.push_back(std::move(t));
      filters.push_back(*filter);
      sources.push_back(f->source);
    }
    // Figures over emptied cells describe the rest of their people.
    std::vector<double> all_of(targets.size(), 0.0);
    for (std::size_t t = 0; t < targets.size(); ++t) {
      double all = 0, rest = 0;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (weights[c] > 0 && in_filter(cells[c], filters[t])) all += weights[c];
      }
      for (int c : targets[t].cells) rest += weights[c];
      all_of[t] = all / rest;
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (emptied[c]) weights[c] = 0;
    }

    // A total is over-determined when the world and every category of a dimension are given.
    std::vector<MarginIdentity> identities;
    int world = -1;
    for (std::size_t t = 0; t < filters.size(); ++t) {
      if (filters[t].world) world = static_cast<int>(t);
    }
    if (world >= 0) {
      double base = 0;
      for (std::size_t c = 0; c < cells.size(); ++c) base += weights[c];
      for (int d = 0; d < kDimensions; ++d) {
        MarginIdentity identity{world, {}};
        for (int cat = 0; cat < category_count(d); ++cat) {
          for (std::size_t t = 0; t < filters.size(); ++t) {
            if (!filters[t].world && filters[t].dimension == d && filters[t].category == cat) {
              double share = 0;
              for (int c : targets[t].cells) share += weights[c];
              identity.parts.emplace_back(static_cast<int>(t), share / base);
            }
          }
        }
        if (static_cast<int>(identity.parts.size()) == category_count(d)) {
          identities.push_back(std::move(identity));
        }
      }
    }
    const std::vector<double> reconciled = reconcile_margins(targets, identities);
    std::vector<MarginTarget> fitted_targets = targets;
    for (std::size_t t = 0; t < targets.size(); ++t) {
      fitted_targets[t].value = reconciled[t] * all_of[t];
      if (!(fitted_targets[t].value < 1)) {
        throw RuntimeFailure("start figure " + targets[t].name + " (" +
                             percent_text(reconciled[t]) +
                             ") cannot be met by the people a figure of 0 leaves");
      }
    }

    // A nested level is fitted as a rate among those covered by the previous level: its weights
    // are the previous level's covered population and its figures are rescaled to match.
    const int within = nested_within(ind);
    std::vector<double> fit_weights = weights;
    if (within >= 0) {
      for (std::size_t c = 0; c < cells.size(); ++c) fit_weights[c] *= out.rates[within][c];
      for (auto& t : fitted_targets) {
        double all = 0, covered = 0;
        for (int c : t.cells) {
          all += weights[c];
          covered += fit_weights[c];
        }
        if (!(t.value * all < covered)) {
          throw RuntimeFailure("start figure " + t.name + " (" + percent_text(t.value) +
                               ") exceeds the coverage of " +
                               std::string(kStartIndicatorKeys[within]) +
                               " over the same people (" + percent_text(covered / all) + ")");
        }
        t.value *= all / covered;
      }
    }

    MarginFit fit;
    try {
      fit = fit_margins(fit_weights, prior, fitted_targets);
    } catch (const RuntimeFailure& e) {
      throw RuntimeFailure(key + ": " + e.what());
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (weights[c] == 0) fit.rates[c] = 0;  // outside the indicator's population
      if (within >= 0) fit.rates[c] *= out.rates[within][c];
    }
    for (std::size_t t = 0; t < targets.size(); ++t) {
      double sum = 0, w = 0;
      for (int c : targets[t].cells) {
        sum += weights[c] * fit.rates[c];
        w += weights[c];
      }
      out.figures.push_back({targets[t].name, targets[t].value * 100, reconciled[t] * 100,
                             sum / w / all_of[t] * 100, sources[t]});
    }
    out.rates[ind] = std::move(fit.rates);
  }

  // Coverage levels are nested: each generation's footprint lies within the previous one's.
  for (std::size_t c = 0; c < cells.size(); ++c) {
    for (int level = std::max(static_cast<int>(first) + 1,
                              static_cast<int>(StartIndicator::coverage_3g_plus));
         level <= static_cast<int>(StartIndicator::coverage_5g); ++level) {
      if (out.rates[level][c] > out.rates[level - 1][c] * (1 + 1e-12)) {
        throw RuntimeFailure("fitted start coverage is not nested in region " +
                             std::to_string(cells[c].region) + ": " +
                             std::string(kStartIndicatorKeys[level]) + " exceeds " +
                             std::string(kStartIndicatorKeys[level - 1]) +
                             " (adjust the prior.coverage_* log-odds)");
      }
    }
  }
  return out;
}

}  // namespace divsim

namespace divsim {

std::vector<CoverageAnchor> fit_coverage_history(const std::vector<WorldCell>& cells,
                                                 const Scenario& scenario) {
  std::vector<CoverageAnchor> out;
  const History& history = scenario.history;
  constexpr int kFirst = static_cast<int>(StartIndicator::coverage_2g_plus);
  int last = 0;
  for (int ind = kFirst; ind < kStartIndicators; ++ind) {
    const std::string world = "start." + std::string(kStartIndicatorKeys[ind]) + ".world";
    const auto* points = history.series(world);
    if (!points) return out;  // a level without a world series: coverage is not driven
    last = last == 0 ? points->back().year : std::min(last, points->back().year);
  }
  for (int year = scenario.start.year + 1; year <= last; ++year) {
    const double month = mid_year_month(year);
    std::vector<StartFigureInput> figures;
    bool complete = true;
    for (int ind = kFirst; ind < kStartIndicators; ++ind) {
      const std::string prefix = "start." + std::string(kStartIndicatorKeys[ind]) + ".";
      bool world = false;
      for (const auto& [name, points] : history.all()) {
        if (name.rfind(prefix, 0) != 0) continue;
        if (const auto value = history.value_at(name, month)) {
          figures.push_back({name, *value, points.front().source});
          world = world || name == prefix + "world";
        }
      }
      complete = complete && world;
    }
    if (!complete) continue;  // some level's record starts later: no anchor this year
    StartFit fit;
    try {
      fit = fit_start_rates(cells, scenario.parameters, figures, StartIndicator::coverage_2g_plus);
    } catch (const RuntimeFailure& e) {
      throw RuntimeFailure("coverage of " + std::to_string(year) + ": " + e.what());
    }
    CoverageAnchor anchor;
    anchor.year = year;
    for (int g = 0; g < 4; ++g) anchor.rates[g] = std::move(fit.rates[kFirst + g]);
    out.push_back(std::move(anchor));
  }
  return out;
}

}  // namespace divsim
