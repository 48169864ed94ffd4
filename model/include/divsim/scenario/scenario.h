// Scenario files (TOML): what a run simulates, checked key by key before anything runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "divsim/core/civil_date.h"
#include "divsim/core/error.h"
#include "divsim/params/parameter_table.h"
#include "divsim/policy/intervention_spec.h"
#include "divsim/scenario/history.h"

namespace divsim {

/** A validated scenario: every field has been checked, every referenced file exists. */
struct Scenario {
  std::string file;  // as given on the command line
  std::string text;  // the file's exact bytes, recorded in the output's provenance

  std::string name;
  std::string description;
  CivilDate start{2025, 1, 1};
  CivilDate end{2035, 12, 31};

  std::int64_t agents = 0;
  std::string regions_file;     // resolved against the scenario's folder
  std::string population_file;  // resolved against the scenario's folder
  /**
   * Optional (see docs/calibration.md): figures and drivers by year. When it gives start figures
   * for the start year they replace the table's `start.*`; its coverage figures of later years
   * raise the networks' frontiers, and its incomes and prices drive the economy until it ends.
   */
  std::string history_file;
  History history;
  /** Files whose values were read before the scenario's own [parameters] (`from`), in order. */
  std::vector<std::string> parameter_files;

  std::uint64_t seed = 1;
  std::uint64_t replicate = 0;

  std::vector<int> milestones{2026, 2027, 2030, 2035};
  /** The measures written to the run file, in the order given; empty: all of them. */
  std::vector<std::string> variables;

  ParameterSet parameters{ParameterTable::builtin()};

  /** Funds and programmes, in the order written (see docs/interventions.md). */
  std::vector<InterventionSpec> interventions;

  // Where some values were found, for errors raised by later checks.
  SourceLocation where_start, where_regions, where_population, where_history;

  /** Months simulated: from the month of `start` through the month of `end`. */
  int steps() const { return months_between(start, end) + 1; }
};

/** Limits that the scenario schema enforces. */
inline constexpr std::int64_t kMaxAgents = 2'000'000'000;
inline constexpr std::size_t kMaxScenarioBytes = 1 << 20;

/**
 * Reads and checks a scenario file. Throws InputErrors listing every problem, each as
 * `FILE:LINE:COL: key.path: expected X, found Y`.
 */
Scenario load_scenario(const std::string& path);

/** The same from text (tests); `path` names it and anchors relative file references. */
Scenario parse_scenario(const std::string& text, const std::string& path);

}  // namespace divsim
