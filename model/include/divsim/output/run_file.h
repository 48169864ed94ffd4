// The run file: NetCDF-4-compatible HDF5 with dimension scales, CF attributes and provenance.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "divsim/output/milestone_table.h"
#include "divsim/sim/simulation.h"

namespace divsim {

/** Root attributes describing where a file came from. */
struct Provenance {
  std::vector<std::pair<std::string, std::string>> text;
  std::vector<std::pair<std::string, std::int64_t>> integers;
  std::vector<std::pair<std::string, std::uint64_t>> unsigned_integers;
  std::vector<std::pair<std::string, double>> reals;
};

/**
 * Writes a run file at `path` (which the caller has made temporary: see AtomicOutput). The layout
 * is documented in docs/output.md. `variables` names the measures to write (kMeasureInfo names),
 * in that order; empty: all of them. Which are written never changes what any of them holds.
 * `ledger`, when given, is written to the group `policy`.
 */
void write_run_file(const std::string& path, const CivilDate& start, const Trajectory& trajectory,
                    const std::vector<MilestonePoint>& milestones, const Provenance& provenance,
                    const std::vector<std::string>& variables = {}, const Ledger* ledger = nullptr);

}  // namespace divsim
