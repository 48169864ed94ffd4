// Scenario text for unit tests: the smallest valid scenario, parsed as if it sat in scenarios/.
#pragma once

#include <string>

#include "divsim/scenario/scenario.h"
#include "expect_error.h"

namespace divsim::test {

/** Parsed as if it sat in scenarios/, so the relative data paths resolve. */
inline Scenario parse(const std::string& body) {
  return parse_scenario(body, source_path("scenarios/test.toml"));
}

/** The tables every scenario needs, and nothing else. */
inline const std::string kMinimal =
    "[scenario]\nname = \"t\"\n"
    "[time]\nstart = 2025-01-01\nend = 2035-12-31\n"
    "[world]\nagents = 100\nregions = \"../calibration/regions.csv\"\n"
    "population = \"../calibration/population_wpp2024.csv\"\n";

}  // namespace divsim::test
