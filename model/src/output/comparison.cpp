// divsim compare: reads run files with the HDF5 C API and sets each against the base run.
#include "divsim/output/comparison.h"

#include <hdf5.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <tuple>
#include <utility>

#include "core/number_text.h"
#include "divsim/core/civil_date.h"
#include "divsim/core/error.h"
#include "output/hdf5_handle.h"
#include "output/hdf5_reader.h"

namespace divsim {
namespace {

using detail::check;
using detail::Handle;
using detail::Reader;

const std::string kPairing = " (paired differences need common random numbers)";

std::string join_years(const std::vector<int>& years) {
  std::string out;
  for (const int y : years) out += (out.empty() ? "" : ", ") + std::to_string(y);
  return out.empty() ? "none" : out;
}

/** The ISO date `days` after the ISO date `start`, or `start+N days` if `start` is not a date. */
std::string date_after(const std::string& start, double days) {
  CivilDate d;
  if (std::sscanf(start.c_str(), "%d-%d-%d", &d.year, &d.month, &d.day) != 3 || !is_valid_date(d)) {
    return start + "+" + std::to_string(static_cast<long long>(days)) + " days";
  }
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  const std::int64_t z =
      days_from_civil(d) + static_cast<std::int64_t>(std::llround(days)) + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  CivilDate out;
  out.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  out.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  out.year = static_cast<int>(yoe + era * 400 + (out.month <= 2 ? 1 : 0));
  return to_iso(out);
}

/** Percent of the people of the strata whose `labels` equal `label` who use the Internet. */
double group_percent(const RunSummary& run, std::size_t row, const std::vector<std::string>& labels,
                     const std::string& label) {
  double users = 0, people = 0;
  const std::size_t s = run.strata();
  for (std::size_t k = 0; k < s; ++k) {
    if (labels[k] != label) continue;
    users += run.internet_users[row * s + k];
    people += run.population[row * s + k];
  }
  return 100.0 * users / people;
}

/** The shortest text that reads back as the same double; empty when not finite. */
std::string real_text(double x) {
  if (!std::isfinite(x)) return "";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string fixed(double x, int decimals) {
  return std::isfinite(x) ? detail::fixed(x, decimals) : "n/a";
}

}  // namespace

const std::vector<std::string>& comparison_uses() {
  static const std::vector<std::string> uses = {
      "coverage", "community_networks", "devices", "data", "tax_relief", "skills", "schools"};
  return uses;
}

std::string format_cents(std::int64_t cents) {
  const bool negative = cents < 0;
  // Magnitude as unsigned, so the most negative value does not overflow.
  const std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(cents) + 1 : static_cast<std::uint64_t>(cents);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s%llu.%02llu", negative ? "-" : "",
                static_cast<unsigned long long>(magnitude / 100),
                static_cast<unsigned long long>(magnitude % 100));
  return buffer;
}

RunSummary read_run_summary(const std::string& path) {
  namespace fs = std::filesystem;
  const Reader r(path);
  std::error_code ec;
  if (!fs::exists(path, ec)) r.fail("no such file");
  if (fs::is_directory(path, ec)) r.fail("expected a run file, found a folder");
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
#if H5_VERSION_GE(1, 12, 0)
  const htri_t is_hdf5 = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
#endif
  if (is_hdf5 == 0) r.fail("not a divsim run file (not an HDF5 file)");
  if (is_hdf5 < 0) r.fail("cannot read the file");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) r.fail("cannot open as HDF5 (unreadable or damaged)");
  Handle file(id, H5Fclose, "open " + path);

  RunSummary run;
  run.path = path;
  run.scenario_name = r.text_attribute(file, "scenario_name");
  run.seed = r.number_attribute<std::uint64_t>(file, "seed", H5T_NATIVE_UINT64);
  run.replicate = r.number_attribute<std::uint64_t>(file, "replicate", H5T_NATIVE_UINT64);
  run.agents = r.number_attribute<std::int64_t>(file, "agents", H5T_NATIVE_INT64);
  run.start_date = r.text_attribute(file, "start_date");

  for (const char* name : {"milestones/year", "milestones/time", "milestones/income_group",
                           "milestones/area", "milestones/sex"}) {
    r.require(file, name, "");
  }
  for (const char* name : {"internet_users", "population"}) {
    if (!r.has(file, std::string("milestones/") + name)) {
      r.fail(std::string("no milestones/") + name +
             " (compare needs internet_users and population: list both in the scenario's "
             "output.variables, or leave it out to write every measure)");
    }
  }
  run.years = r.numbers<int>(file, "milestones/year", 1, H5T_NATIVE_INT, true);
  run.year_days = r.numbers<double>(file, "milestones/time", 1, H5T_NATIVE_DOUBLE, false);
  run.income_group = r.strings(file, "milestones/income_group");
  run.area = r.strings(file, "milestones/area");
  run.sex = r.strings(file, "milestones/sex");
  const std::size_t ny = run.years.size(), ns = run.income_group.size();
  if (run.year_days.size() != ny) {
    r.fail("milestones/time: expected " + std::to_string(ny) + " values (one per year), found " +
           std::to_string(run.year_days.size()));
  }
  if (run.area.size() != ns || run.sex.size() != ns) {
    r.fail("milestones: expected the labels income_group, area and sex over the same strata");
  }
  for (const auto& [labels, name, wanted] :
       {std::tuple{&run.income_group, "income_group", "high"},
        std::tuple{&run.income_group, "income_group", "low"},
        std::tuple{&run.area, "area", "urban"}, std::tuple{&run.area, "area", "rural"},
        std::tuple{&run.sex, "sex", "female"}, std::tuple{&run.sex, "sex", "male"}}) {
    if (std::find(labels->begin(), labels->end(), wanted) == labels->end()) {
      r.fail(std::string("milestones/") + name + ": no stratum labelled " + in_quotes(wanted));
    }
  }
  for (const auto& [values, name] : {std::pair{&run.internet_users, "internet_users"},
                                     std::pair{&run.population, "population"}}) {
    std::vector<hsize_t> shape;
    *values = r.numbers<double>(file, std::string("milestones/") + name, 2, H5T_NATIVE_DOUBLE,
                                false, &shape);
    if (shape[0] != ny || shape[1] != ns) {
      r.fail(std::string("milestones/") + name + ": expected (year, stratum) of " +
             std::to_string(ny) + " x " + std::to_string(ns) + ", found " +
             std::to_string(shape[0]) + " x " + std::to_string(shape[1]));
    }
  }

  const std::string ledger = ": the money ledger divsim run writes";
  for (const char* name :
       {"policy/time", "policy/spending", "policy/source_name", "policy/use_name"}) {
    r.require(file, name, ledger);
  }
  run.policy_days = r.numbers<double>(file, "policy/time", 1, H5T_NATIVE_DOUBLE, false);
  run.source_names = r.strings(file, "policy/source_name");
  run.use_names = r.strings(file, "policy/use_name");
  std::vector<hsize_t> shape;
  run.spending_cents =
      r.numbers<std::int64_t>(file, "policy/spending", 3, H5T_NATIVE_INT64, true, &shape);
  if (shape[0] != run.policy_days.size() || shape[1] != run.source_names.size() ||
      shape[2] != run.use_names.size()) {
    r.fail("policy/spending: expected (time, source, use) of " +
           std::to_string(run.policy_days.size()) + " x " +
           std::to_string(run.source_names.size()) + " x " + std::to_string(run.use_names.size()) +
           ", found " + std::to_string(shape[0]) + " x " + std::to_string(shape[1]) + " x " +
           std::to_string(shape[2]));
  }
  {
    Handle ds(H5Dopen2(file, "policy/spending", H5P_DEFAULT), H5Dclose, "open policy/spending");
    double scale = 0;
    if (H5Aexists(ds, "scale_factor") > 0) {
      Handle attr(H5Aopen(ds, "scale_factor", H5P_DEFAULT), H5Aclose,
                  "open policy/spending scale_factor");
      check(H5Aread(attr, H5T_NATIVE_DOUBLE, &scale), "read policy/spending scale_factor");
    }
    if (scale != 0.01) {
      r.fail("policy/spending: expected scale_factor 0.01 (whole cents), found " +
             (scale == 0 ? std::string("none") : real_text(scale)));
    }
  }
  const auto& uses = comparison_uses();
  for (const auto& name : run.use_names) {
    if (std::find(uses.begin(), uses.end(), name) == uses.end()) {
      r.fail("policy/use_name: unknown use " + in_quotes(name));
    }
  }
  return run;
}

Comparison compare_runs(const std::vector<RunSummary>& runs, const std::vector<int>& years) {
  if (runs.size() < 2) {
    throw InputError({"run files", 0, 0}, "", "expected a base run file and at least one other");
  }
  const RunSummary& base = runs.front();
  for (std::size_t i = 1; i < runs.size(); ++i) {
    const RunSummary& alt = runs[i];
    auto differs = [&](const std::string& what, const std::string& expected,
                       const std::string& found) {
      if (expected == found) return;
      throw InputError({alt.path, 0, 0}, "",
                       "expected " + what + " " + expected + " as in " + base.path + kPairing +
                           ", found " + found);
    };
    differs("seed", std::to_string(base.seed), std::to_string(alt.seed));
    differs("replicate", std::to_string(base.replicate), std::to_string(alt.replicate));
    differs("agents", std::to_string(base.agents), std::to_string(alt.agents));
    differs("start_date", base.start_date, alt.start_date);
  }

  // The record of each requested year in each run, read on the same day in all of them.
  std::vector<std::vector<std::size_t>> rows(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    for (std::size_t y = 0; y < years.size(); ++y) {
      const int year = years[y];
      const auto& ys = runs[i].years;
      const auto at = std::find(ys.begin(), ys.end(), year);
      if (at == ys.end()) {
        throw InputError({runs[i].path, 0, 0}, "",
                         "year " + std::to_string(year) + " is not a milestone of this run " +
                             "(its milestones: " + join_years(ys) + ")");
      }
      const auto row = static_cast<std::size_t>(at - ys.begin());
      rows[i].push_back(row);
      const double day = runs[i].year_days[row], base_day = base.year_days[rows[0][y]];
      if (i > 0 && day != base_day) {
        throw InputError({runs[i].path, 0, 0}, "",
                         "expected milestone " + std::to_string(year) + " on " +
                             date_after(base.start_date, base_day) + " as in " + base.path +
                             ", found " + date_after(runs[i].start_date, day) +
                             " (output.milestone_month differs)");
      }
    }
  }

  Comparison out;
  out.years = years;
  out.base_file = base.path;
  out.seed = base.seed;
  out.replicate = base.replicate;
  out.agents = base.agents;
  out.start_date = base.start_date;
  for (const auto& run : runs) {
    for (const auto& name : run.source_names) {
      if (std::find(out.sources.begin(), out.sources.end(), name) == out.sources.end()) {
        out.sources.push_back(name);
      }
    }
  }
  const auto& uses = comparison_uses();

  std::vector<ComparisonRow> base_rows;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const RunSummary& run = runs[i];
    const std::size_t ns = run.strata(), nsrc = run.source_names.size(), nu = run.use_names.size();
    std::vector<std::size_t> use_column(nu), source_column(nsrc);
    for (std::size_t u = 0; u < nu; ++u) {
      use_column[u] = static_cast<std::size_t>(
          std::find(uses.begin(), uses.end(), run.use_names[u]) - uses.begin());
    }
    for (std::size_t s = 0; s < nsrc; ++s) {
      source_column[s] = static_cast<std::size_t>(
          std::find(out.sources.begin(), out.sources.end(), run.source_names[s]) -
          out.sources.begin());
    }
    for (std::size_t y = 0; y < years.size(); ++y) {
      const std::size_t row = rows[i][y];
      ComparisonRow c;
      c.scenario = run.scenario_name;
      c.file = run.path;
      c.year = years[y];
      const double day = run.year_days[row];
      c.date = date_after(run.start_date, day);
      double people = 0;
      for (std::size_t k = 0; k < ns; ++k) {
        c.internet_users += run.internet_users[row * ns + k];
        people += run.population[row * ns + k];
      }
      c.use_percent = 100.0 * c.internet_users / people;
      c.gender_gap_pp =
          group_percent(run, row, run.sex, "male") - group_percent(run, row, run.sex, "female");
      c.urban_rural_gap_pp =
          group_percent(run, row, run.area, "urban") - group_percent(run, row, run.area, "rural");
      c.income_gap_pp = group_percent(run, row, run.income_group, "high") -
                        group_percent(run, row, run.income_group, "low");
      c.spent_cents_by_use.assign(uses.size(), 0);
      c.spent_cents_by_source.assign(out.sources.size(), 0);
      for (std::size_t t = 0; t < run.policy_days.size(); ++t) {
        if (!(run.policy_days[t] <= day)) continue;
        for (std::size_t s = 0; s < nsrc; ++s) {
          for (std::size_t u = 0; u < nu; ++u) {
            const std::int64_t cents = run.spending_cents[(t * nsrc + s) * nu + u];
            c.spent_cents += cents;
            c.spent_cents_by_use[use_column[u]] += cents;
            c.spent_cents_by_source[source_column[s]] += cents;
          }
        }
      }
      if (i == 0) base_rows.push_back(c);
      const ComparisonRow& b = base_rows[y];
      c.users_gained = c.internet_users - b.internet_users;
      c.use_change_pp = c.use_percent - b.use_percent;
      if (c.users_gained > 0) {
        c.cost_per_additional_user_usd =
            static_cast<double>(c.spent_cents - b.spent_cents) / 100.0 / c.users_gained;
      }
      out.rows.push_back(std::move(c));
    }
  }
  return out;
}

std::string format_comparison_table(const Comparison& comparison) {
  std::size_t scenario_width = 8, file_width = 4;
  for (const auto& r : comparison.rows) {
    scenario_width = std::max(scenario_width, r.scenario.size());
    file_width = std::max(file_width, r.file.size());
  }
  const int sw = static_cast<int>(scenario_width), fw = static_cast<int>(file_width);
  const std::size_t files =
      comparison.years.empty() ? 0 : comparison.rows.size() / comparison.years.size();
  const std::size_t alts = files > 0 ? files - 1 : 0;
  std::string out =
      "divsim compare: " + std::to_string(alts) + (alts == 1 ? " run" : " runs") +
      " against the base " + comparison.base_file + " (seed " + std::to_string(comparison.seed) +
      ", replicate " + std::to_string(comparison.replicate) + ", " +
      std::to_string(comparison.agents) + " agents, start " + comparison.start_date + ")\n";
  char line[512];
  for (std::size_t y = 0; y < comparison.years.size(); ++y) {
    const ComparisonRow* first = nullptr;
    for (const auto& r : comparison.rows) {
      if (r.year == comparison.years[y]) {
        first = &r;
        break;
      }
    }
    out += "\n" + std::to_string(comparison.years[y]) + " (read on " +
           (first ? first->date : std::string("?")) + ")\n";
    std::snprintf(line, sizeof line, "%-*s  %-*s %9s %7s %9s %7s %7s %7s %7s %12s %11s\n", sw,
                  "scenario", fw, "file", "users M", "use %", "gained M", "+pp", "gender",
                  "urb-rur", "income", "spent M USD", "USD/added");
    out += line;
    for (const auto& r : comparison.rows) {
      if (r.year != comparison.years[y]) continue;
      const std::string cost = r.cost_per_additional_user_usd
                                   ? fixed(*r.cost_per_additional_user_usd, 2)
                                   : std::string("n/a");
      std::snprintf(line, sizeof line, "%-*s  %-*s %9s %7s %9s %7s %7s %7s %7s %12s %11s\n", sw,
                    r.scenario.c_str(), fw, r.file.c_str(),
                    fixed(r.internet_users / 1e6, 1).c_str(), fixed(r.use_percent, 2).c_str(),
                    fixed(r.users_gained / 1e6, 2).c_str(), fixed(r.use_change_pp, 2).c_str(),
                    fixed(r.gender_gap_pp, 2).c_str(), fixed(r.urban_rural_gap_pp, 2).c_str(),
                    fixed(r.income_gap_pp, 2).c_str(),
                    fixed(static_cast<double>(r.spent_cents) / 1e8, 2).c_str(), cost.c_str());
      out += line;
    }
    // Where the money went: the uses any run spent on, then each run's sources.
    const auto& uses = comparison_uses();
    std::vector<std::size_t> spent_uses;
    for (std::size_t u = 0; u < uses.size(); ++u) {
      for (const auto& r : comparison.rows) {
        if (r.year == comparison.years[y] && r.spent_cents_by_use[u] != 0) {
          spent_uses.push_back(u);
          break;
        }
      }
    }
    if (spent_uses.empty()) continue;
    std::snprintf(line, sizeof line, "%-*s ", sw, "spent M USD by use");
    out += line;
    auto width = [&](std::size_t u) {
      return static_cast<int>(std::max<std::size_t>(11, uses[u].size()));
    };
    for (const std::size_t u : spent_uses) {
      std::snprintf(line, sizeof line, " %*s", width(u), uses[u].c_str());
      out += line;
    }
    out += "  by source\n";
    for (const auto& r : comparison.rows) {
      if (r.year != comparison.years[y]) continue;
      std::snprintf(line, sizeof line, "%-*s ", sw, r.scenario.c_str());
      out += line;
      for (const std::size_t u : spent_uses) {
        std::snprintf(line, sizeof line, " %*s", width(u),
                      fixed(static_cast<double>(r.spent_cents_by_use[u]) / 1e8, 2).c_str());
        out += line;
      }
      out += " ";
      for (std::size_t k = 0; k < comparison.sources.size(); ++k) {
        if (r.spent_cents_by_source[k] == 0) continue;
        out += " " + comparison.sources[k] + " " +
               fixed(static_cast<double>(r.spent_cents_by_source[k]) / 1e8, 2);
      }
      out += "\n";
    }
  }
  out +=
      "\nusers M: Internet users, millions; use %: of the population; gained M and +pp: against "
      "the base;\ngaps in percentage points: gender men - women, urb-rur urban - rural, income "
      "high - low;\nspent M USD: from the start through the date; USD/added: extra spending per "
      "additional user.\n";
  return out;
}

std::string format_comparison_csv(const Comparison& comparison) {
  std::string out =
      "scenario,file,year,internet_users,internet_use_percent,users_gained,use_change_pp,"
      "gender_gap_pp,urban_rural_gap_pp,income_gap_pp,spent_usd";
  for (const auto& use : comparison_uses()) out += ",spent_usd_" + use;
  out += ",cost_per_additional_user_usd";
  for (const auto& source : comparison.sources)
    out += "," + csv_field("spent_usd_source_" + source);
  out += "\n";
  for (const auto& r : comparison.rows) {
    out += csv_field(r.scenario) + "," + csv_field(r.file) + "," + std::to_string(r.year) + "," +
           real_text(r.internet_users) + "," + real_text(r.use_percent) + "," +
           real_text(r.users_gained) + "," + real_text(r.use_change_pp) + "," +
           real_text(r.gender_gap_pp) + "," + real_text(r.urban_rural_gap_pp) + "," +
           real_text(r.income_gap_pp) + "," + format_cents(r.spent_cents);
    for (const auto cents : r.spent_cents_by_use) out += "," + format_cents(cents);
    out += ",";
    if (r.cost_per_additional_user_usd) out += fixed(*r.cost_per_additional_user_usd, 2);
    for (const auto cents : r.spent_cents_by_source) out += "," + format_cents(cents);
    out += "\n";
  }
  return out;
}

}  // namespace divsim
