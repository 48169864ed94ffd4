// The start-date figures (draft and reference) fitted jointly over the world's cells.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "divsim/params/parameter_table.h"
#include "divsim/world/region_table.h"

namespace divsim {

/** One cell of the world: a region crossed with area, sex, age band and disability. */
struct WorldCell {
  int region = 0;
  int income_group = 0;
  int area = 0;
  int sex = 0;
  int age_band = 0;
  int disability = 0;
  double population = 0;  // persons
};

/** The indicators fitted at the start date, each a rate per cell. */
enum class StartIndicator : int {
  internet_use,
  mobile_ownership_10plus,
  coverage_2g_plus,
  coverage_3g_plus,
  coverage_4g_plus,
  coverage_5g,
};
inline constexpr int kStartIndicators = 6;
inline constexpr std::array<std::string_view, kStartIndicators> kStartIndicatorKeys = {
    "internet_use",     "mobile_ownership_10plus", "coverage_2g_plus",
    "coverage_3g_plus", "coverage_4g_plus",        "coverage_5g"};

/** A figure the start world reproduces: as given, after reconciliation, and as fitted. */
struct StartFigure {
  std::string parameter;  // e.g. start.internet_use.sex.female
  double given = 0;       // percent
  double reconciled = 0;  // percent
  double fitted = 0;      // percent (expected value over the cells, before sampling)
  std::string source;
};

/** A figure to fit: a `start.*` name, its value (percent) and where it comes from. */
struct StartFigureInput {
  std::string parameter;
  double value = 0;  // percent
  std::string source;
};

/**
 * The figures a scenario's start world is fitted to: the history file's `start.*` rows of the
 * start year when it has some (every indicator then needs a world figure), else the table's
 * `start.*` values. Throws InputError at the history file when an indicator has no world figure.
 */
std::vector<StartFigureInput> start_figure_inputs(const Scenario& scenario);

/** Fitted rates per indicator and cell, and the report of each figure. */
struct StartFit {
  std::array<std::vector<double>, kStartIndicators> rates;
  std::vector<StartFigure> figures;
};

/**
 * Splits each region into cells with their populations (age and disability structure from the
 * parameter table). Throws InputError, at the scenario line that overrode one of them, when a
 * group's age shares do not sum to 1.
 */
std::vector<WorldCell> plan_cells(const std::vector<Region>& regions, const ParameterSet& params);

/**
 * Fits every indicator's per-cell rates to its figures at once (from `first` on; earlier ones are
 * left empty): figures are first reconciled where they over-determine a total, then a logistic
 * model with the `prior.*` log-odds is raked to them. A figure of 0 empties its cells. Coverage
 * levels must come out nested (5G within 4G+ within 3G+ ...).
 */
StartFit fit_start_rates(const std::vector<WorldCell>& cells, const ParameterSet& params,
                         const std::vector<StartFigureInput>& figures,
                         StartIndicator first = StartIndicator::internet_use);

/** Coverage fitted to a later year's figures: rates per coverage level (2G+ ... 5G) and cell. */
struct CoverageAnchor {
  int year = 0;
  std::array<std::vector<double>, 4> rates;
};

/**
 * The history's coverage figures for each year after the start year in which every coverage
 * level has a world figure, each interpolated to 1 July and fitted over the start's cells like
 * the start figures. Empty without a history.
 */
std::vector<CoverageAnchor> fit_coverage_history(const std::vector<WorldCell>& cells,
                                                 const Scenario& scenario);

}  // namespace divsim
