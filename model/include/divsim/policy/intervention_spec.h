// Interventions as scenario data: what a scenario's [[interventions]] entries say, once checked.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "divsim/core/civil_date.h"
#include "divsim/core/error.h"
#include "divsim/world/strata.h"

namespace divsim {

/** Funds bring money in; programmes spend it from the fund they name. */
enum class InterventionRole { fund, programme };

/** What programme money is spent on: the columns of the ledger. */
enum class LedgerUse : int {
  coverage,            // subsidised roll-out of mobile networks where it does not pay
  community_networks,  // community-built networks in rural places
  devices,             // handset subsidies
  data,                // data subsidies and social tariffs
  tax_relief,          // revenue forgone by lower taxes on handsets and services
  skills,              // training seats
  schools,             // school connections
};
inline constexpr int kLedgerUses = 7;
inline constexpr std::array<std::string_view, kLedgerUses> kLedgerUseNames = {
    "coverage", "community_networks", "devices", "data", "tax_relief", "skills", "schools"};

/**
 * Whom an intervention reaches: any combination of income group, area, sex, age band and
 * disability (a set per dimension; all when not given), and optionally named regions of the
 * regions file.
 */
struct Target {
  std::array<bool, kIncomeGroups> income_group{true, true, true, true};
  std::array<bool, kAreas> area{true, true};
  std::array<bool, kSexes> sex{true, true};
  std::array<bool, kAgeBands> age_band{true, true, true, true, true, true};
  std::array<bool, kDisabilityStates> disability{true, true};
  std::vector<std::string> regions;  // empty: every region
  SourceLocation where_regions;
  /** Dimensions given in the scenario, by key (income_group, area, sex, age_band, ...). */
  std::vector<std::string> given;

  bool includes(int stratum) const;
};

/** One numeric setting of an intervention, named as in the parameter table. */
struct InterventionNumber {
  std::string key;        // as written: `cost_per_trainee_usd`
  std::string parameter;  // the table row: `intervention.skills.cost_per_trainee_usd`
  double value = 0;
  SourceLocation where;
};

/** A checked [[interventions]] entry. */
struct InterventionSpec {
  std::string type;
  std::string name;
  CivilDate start;
  CivilDate end;
  std::string funding;  // programmes: the name of a fund in the same scenario
  std::vector<std::pair<std::string, std::string>> choices;  // e.g. instrument = "data_subsidy"
  std::vector<InterventionNumber> numbers;                   // overrides of table defaults
  Target target;
  SourceLocation where;

  /** The value of a numeric setting: the override, or the parameter table's default. */
  double number(std::string_view key) const;
  /** The value of a choice (its default when not given). */
  const std::string& choice(std::string_view key) const;
  /** Whether the first day of `month` falls within [start, end]. */
  bool active(const CivilDate& month) const { return !(month < start) && !(end < month); }
};

/** A keyword setting with a closed set of values (its first value is the default). */
struct InterventionChoice {
  std::string_view key;
  std::vector<std::string_view> values;
  std::string_view description;
};

/** What `divsim list interventions` shows and the scenario reader checks, per type. */
struct InterventionTypeInfo {
  std::string_view name;
  InterventionRole role;
  std::string_view summary;
  std::vector<InterventionChoice> choices;
  /** Target dimensions the type can act on (places cannot be targeted by sex, for example). */
  std::vector<std::string_view> target_keys;
  /** Checks that depend on several settings: the key at fault and the message, or nothing. */
  std::pair<std::string, std::string> (*check)(const InterventionSpec&) = nullptr;
};

/** Every registered type, in registry order (model/src/policy/interventions.inc). */
const std::vector<InterventionTypeInfo>& intervention_types();
const InterventionTypeInfo* find_intervention_type(std::string_view name);

/** Table rows an intervention type reads: `intervention.<type>.*`, and for programmes the shared
 * `intervention.programme.*`. */
std::vector<std::string> intervention_parameters(const InterventionTypeInfo& type);

}  // namespace divsim
