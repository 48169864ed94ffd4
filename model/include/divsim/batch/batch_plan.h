// A batch: scenarios × parameter draws × replicates, read from a batch file and checked before
// anything runs (docs/batch.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "divsim/scenario/scenario.h"

namespace divsim {

/** One set of values for the batch's drawn parameters. */
struct ParameterDraw {
  std::int64_t number = 0;     // the ensemble's `draw`, or the design point
  std::vector<double> values;  // in BatchPlan::parameter_names order
  SourceLocation where;        // where the values were read or defined
};

/** Where run k sits in the batch. */
struct BatchRun {
  std::size_t scenario = 0;
  std::size_t draw = 0;  // index into BatchPlan::draws (0 when the batch has none)
  std::uint64_t replicate = 0;
  std::int64_t reference_run = -1;  // the paired run of the reference scenario; -1: no reference
};

/** A validated batch; runs are numbered k = (scenario · draws + draw) · replicates + replicate. */
struct BatchPlan {
  std::string file;  // as given
  std::string text;  // the batch file's exact bytes
  std::string name;
  std::vector<Scenario> scenarios;       // agents and seed already replaced by the batch's
  std::optional<std::size_t> reference;  // index into scenarios
  std::uint64_t replicates = 1;
  /** How the draws were made: "" (none), "ensemble", "latin_hypercube" or "grid". */
  std::string draw_method;
  std::string draw_file;  // the ensemble file, for provenance
  std::vector<std::string> parameter_names;
  std::vector<ParameterDraw> draws;
  /** The measures kept per run (kMeasureInfo names), in order; all of them unless chosen. */
  std::vector<std::string> variables;
  std::vector<int> milestones;
  int milestone_month = 7;
  /** Every file the batch reads, in order, with its SHA-256: `PATH sha256 HEX` lines. */
  std::string input_files;
  /** SHA-256 over the engine, the batch and every input: what spools and part files belong to. */
  std::string digest;

  std::size_t draw_count() const noexcept { return draws.empty() ? 1 : draws.size(); }
  std::size_t runs() const noexcept { return scenarios.size() * draw_count() * replicates; }
  BatchRun run(std::size_t k) const;
  /** The scenario run k simulates: its draw's values set, its replicate chosen. */
  Scenario scenario_of_run(std::size_t k) const;
  /** Replaces every scenario's agents (the command line's --agents); the digest follows. */
  void set_agents(std::int64_t agents);
};

/** Limits of the batch schema. */
inline constexpr std::uint64_t kMaxBatchReplicates = 100'000;
inline constexpr std::size_t kMaxBatchRuns = 10'000'000;

/**
 * Reads and checks a batch file and every scenario it names. Throws InputErrors listing every
 * problem as `FILE:LINE:COL: key.path: expected X, found Y`.
 */
BatchPlan load_batch(const std::string& path);

/** The same from text (tests); `path` names it and anchors relative file references. */
BatchPlan parse_batch(const std::string& text, const std::string& path);

}  // namespace divsim
