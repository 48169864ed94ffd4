// Paired comparison of run files with a base run at the review milestones (divsim compare).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace divsim {

/** What `divsim compare` reads from one run file (docs/output.md, docs/compare.md). */
struct RunSummary {
  std::string path;
  std::string scenario_name;
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
  std::int64_t agents = 0;
  std::string start_date;  // ISO 8601

  /** milestones/year and milestones/time (days since the start). */
  std::vector<int> years;
  std::vector<double> year_days;
  /** milestones/internet_users and milestones/population, (year, stratum), weighted persons. */
  std::vector<double> internet_users;
  std::vector<double> population;
  /** The stratum labels of the milestones group. */
  std::vector<std::string> income_group, area, sex;

  /** policy/time (days since the start) and policy/spending (time, source, use) in cents. */
  std::vector<double> policy_days;
  std::vector<std::string> source_names;
  std::vector<std::string> use_names;
  std::vector<std::int64_t> spending_cents;

  std::size_t strata() const noexcept { return income_group.size(); }
};

/**
 * Reads the parts of a run file that compare needs. A missing file, a file that is not a divsim
 * run file, or one without milestones/internet_users and milestones/population is an InputError
 * naming the file; an HDF5 failure on a file that opened is a RuntimeFailure.
 */
RunSummary read_run_summary(const std::string& path);

/** The ledger uses in the order of the CSV columns (those of policy/use_name). */
const std::vector<std::string>& comparison_uses();

/** One file at one milestone year, set against the base run. */
struct ComparisonRow {
  std::string scenario;
  std::string file;
  int year = 0;
  std::string date;  // ISO 8601 date the year is read at
  double internet_users = 0;
  double use_percent = 0;
  double users_gained = 0;
  double use_change_pp = 0;
  double gender_gap_pp = 0;                         // men% - women%
  double urban_rural_gap_pp = 0;                    // urban% - rural%
  double income_gap_pp = 0;                         // high% - low%
  std::int64_t spent_cents = 0;                     // from the start through the milestone date
  std::vector<std::int64_t> spent_cents_by_use;     // comparison_uses() order
  std::vector<std::int64_t> spent_cents_by_source;  // Comparison::sources order
  /** (spent - base spent) / (users - base users) in US dollars; empty when the gain is <= 0. */
  std::optional<double> cost_per_additional_user_usd;
};

/** Every file at every requested year; rows ordered by file (base first), then year. */
struct Comparison {
  std::string base_file;
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
  std::int64_t agents = 0;
  std::string start_date;
  std::vector<int> years;
  std::vector<std::string> sources;  // union of source names, in order of first appearance
  std::vector<ComparisonRow> rows;
};

/**
 * Compares runs[1..] with runs[0] at `years`. Every run must share the base's seed, replicate,
 * agents and start date (paired differences need common random numbers), and every year must be a
 * milestone of every run, read on the same day; otherwise an InputError naming the file.
 */
Comparison compare_runs(const std::vector<RunSummary>& runs, const std::vector<int>& years);

/** The readable table printed on stdout: one block per year, one row per file. */
std::string format_comparison_table(const Comparison& comparison);

/** The CSV file: a header, then one row per (file, year) as in docs/compare.md. */
std::string format_comparison_csv(const Comparison& comparison);

/** Whole cents as US dollars with two decimals, exactly: -12345 gives `-123.45`. */
std::string format_cents(std::int64_t cents);

}  // namespace divsim
