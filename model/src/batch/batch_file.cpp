// Writing and reading batch files with the HDF5 C API; runs are written one at a time.
#include "divsim/batch/batch_file.h"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "divsim/core/error.h"
#include "divsim/core/sha256.h"
#include "divsim/core/version.h"
#include "divsim/output/groups.h"
#include "output/hdf5_writer.h"

namespace divsim {
namespace {

using namespace detail;  // NOLINT: the writer's vocabulary

constexpr const char* kCoordinates = "income_group area sex age_band disability";
constexpr int kGroups = static_cast<int>(std::size(kReportGroups));
constexpr int kQuantiles = static_cast<int>(std::size(kBatchQuantiles));
const double kNaN = std::numeric_limits<double>::quiet_NaN();

/** The batch's dates: the start month, then the first day of every month after a step. */
std::vector<CivilDate> batch_dates(const Scenario& s) {
  std::vector<CivilDate> dates{{s.start.year, s.start.month, 1}};
  for (int step = 1; step <= s.steps(); ++step) dates.push_back(add_months(s.start, step));
  return dates;
}

int measure_index(const std::string& name) {
  for (int m = 0; m < kMeasures; ++m) {
    if (kMeasureInfo[m].name == name) return m;
  }
  return -1;
}

/** A rate in the summary: numerator over base, both summed over a group's strata. */
struct Indicator {
  const char* name;
  Measure numerator;
  Measure base;
  const char* long_name;
};

constexpr Indicator kIndicators[] = {
    {"internet_use_percent", Measure::internet_users, Measure::population,
     "individuals using the Internet, percent of the group's population"},
    {"mobile_ownership_percent", Measure::mobile_owners_10plus, Measure::population_10plus,
     "individuals aged 10 and over owning a mobile phone, percent of the group's population aged "
     "10 and over"},
    {"covered_3g_plus_percent", Measure::covered_3g_plus, Measure::population,
     "population covered by 3G or better, percent of the group's population"},
    {"covered_4g_plus_percent", Measure::covered_4g_plus, Measure::population,
     "population covered by 4G or better, percent of the group's population"},
    {"basic_skills_percent", Measure::basic_skills, Measure::population,
     "individuals with at least basic digital skills, percent of the group's population"},
};

/** What the summary keeps of one run: small, so every run's fits in memory. */
struct RunSeries {
  std::vector<double> rates;  // indicator × group × time (percent)
  std::vector<double> users;  // group × time (weighted persons)
  std::vector<double> spent;  // time: cumulative USD
};

RunSeries series_of(const RunRecord& r, const std::vector<int>& indicators) {
  const std::size_t nt = r.records.size();
  RunSeries out;
  out.rates.assign(indicators.size() * kGroups * nt, kNaN);
  out.users.assign(kGroups * nt, kNaN);
  out.spent.assign(nt, 0);
  for (std::size_t t = 0; t < nt; ++t) {
    const StratumCounts& c = r.records[t];
    for (int g = 0; g < kGroups; ++g) {
      for (std::size_t i = 0; i < indicators.size(); ++i) {
        const Indicator& ind = kIndicators[indicators[i]];
        double top = 0, bottom = 0;
        for (int s = 0; s < kStrata; ++s) {
          if (!kReportGroups[g].select(s)) continue;
          top += c[static_cast<int>(ind.numerator) * kStrata + s];
          bottom += c[static_cast<int>(ind.base) * kStrata + s];
        }
        out.rates[(i * kGroups + g) * nt + t] = bottom > 0 ? 100 * top / bottom : kNaN;
      }
      double users = 0;
      for (int s = 0; s < kStrata; ++s) {
        if (kReportGroups[g].select(s)) {
          users += c[static_cast<int>(Measure::internet_users) * kStrata + s];
        }
      }
      out.users[g * nt + t] = users;
    }
    Cents month = 0;
    for (int u = 0; u < kLedgerUses; ++u) month += r.spending[t * kLedgerUses + u];
    out.spent[t] = (t > 0 ? out.spent[t - 1] : 0) + static_cast<double>(month) / 100.0;
  }
  return out;
}

/** A dataset over (run, rest...) written one run at a time. */
class RunVariable {
 public:
  RunVariable(hid_t group, const std::string& name, hid_t file_type, hid_t memory_type,
              const std::vector<std::string>& dims, std::vector<hsize_t> sizes, bool fill_nan)
      : memory_type_(memory_type), sizes_(std::move(sizes)) {
    std::vector<hsize_t> chunk = sizes_;
    chunk[0] = 1;
    bool empty = false;
    for (const hsize_t n : sizes_) empty = empty || n == 0;
    Handle space(H5Screate_simple(static_cast<int>(sizes_.size()), sizes_.data(), nullptr),
                 H5Sclose, "create space for " + name);
    Handle dcpl = dataset_properties(!empty, chunk.data(), static_cast<int>(chunk.size()));
    if (fill_nan) check(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &kNaN), "set fill value");
    id_ = H5Dcreate2(group, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (id_ < 0) throw RuntimeFailure("hdf5: cannot create " + name);
    attach(group, id_, dims);
    if (fill_nan) attr_double(id_, "_FillValue", kNaN);
  }
  ~RunVariable() {
    if (id_ >= 0) H5Dclose(id_);
  }
  RunVariable(const RunVariable&) = delete;
  RunVariable& operator=(const RunVariable&) = delete;
  hid_t id() const { return id_; }

  /** Row `position` of the run dimension from `data` (the other dimensions, row-major). */
  void write(std::size_t position, const void* data) {
    std::vector<hsize_t> start(sizes_.size(), 0), count = sizes_;
    start[0] = position;
    count[0] = 1;
    for (const hsize_t n : count) {
      if (n == 0) return;
    }
    Handle file_space(H5Dget_space(id_), H5Sclose, "get a dataset space");
    check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start.data(), nullptr, count.data(),
                              nullptr),
          "select a run");
    Handle memory_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr),
                        H5Sclose, "create a run space");
    check(H5Dwrite(id_, memory_type_, memory_space, file_space, H5P_DEFAULT, data), "write a run");
  }

 private:
  hid_t id_ = -1;
  hid_t memory_type_;
  std::vector<hsize_t> sizes_;
};

void measure_attributes(hid_t ds, int m) {
  attr_text(ds, "units", "1");
  attr_text(ds, "long_name", std::string(kMeasureInfo[m].long_name));
  attr_text(ds, "coordinates", kCoordinates);
}

void time_scale(hid_t group, const std::vector<double>& days, const std::string& units,
                const std::string& long_name) {
  scale(group, "time", H5T_IEEE_F64LE, days);
  Handle ds(H5Dopen2(group, "time", H5P_DEFAULT), H5Dclose, "open time");
  time_attributes(ds, units, long_name);
}

/** The `run` dimension: the global run numbers of the runs the file holds. */
void run_scale(hid_t group, const std::vector<std::int32_t>& numbers) {
  scale(group, "run", H5T_NATIVE_INT32, numbers);
  Handle ds(H5Dopen2(group, "run", H5P_DEFAULT), H5Dclose, "open run");
  attr_text(ds, "long_name",
            "run of the batch: (scenario * draws + draw) * replicates + replicate");
}

Handle new_group(hid_t parent, const std::string& name) {
  Handle gcpl = group_properties();
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose,
                "create group " + name);
}

void scenario_dimension(hid_t group, const BatchPlan& plan, bool with_texts) {
  index_scale(group, "scenario", plan.scenarios.size(), "scenario of the batch, in batch order");
  std::vector<std::string> names, files, digests, texts;
  for (const auto& s : plan.scenarios) {
    names.push_back(s.name);
    files.push_back(s.file);
    digests.push_back(sha256_hex(s.text));
    texts.push_back(s.text);
  }
  labels(group, "scenario_name", "scenario", "name of the scenario", names);
  if (!with_texts) return;
  labels(group, "scenario_file", "scenario", "scenario file as the batch names it", files);
  labels(group, "scenario_sha256", "scenario", "SHA-256 of the scenario file", digests);
  labels(group, "scenario_text", "scenario", "the scenario file's exact text", texts);
}

void year_scales(hid_t group, const std::vector<int>& years, const std::vector<double>& days,
                 const std::string& time_units) {
  std::vector<std::int32_t> y(years.begin(), years.end());
  scale(group, "year", H5T_NATIVE_INT32, y);
  {
    Handle ds(H5Dopen2(group, "year", H5P_DEFAULT), H5Dclose, "open year");
    attr_text(ds, "long_name", "review milestone year (WSIS+20 outcome zero draft)");
  }
  variable(group, "year_time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {"year"}, {days.size()}, days,
           time_units, "date the milestone year is read at");
}

/** Quantiles and mean over the runs of each scenario; `value(run_position, cell)`. */
struct Summaries {
  std::vector<double> quantiles;  // scenario × quantile × cells
  std::vector<double> means;      // scenario × cells
};

Summaries summarise(const BatchPlan& plan, const std::vector<std::vector<std::size_t>>& by_scenario,
                    std::size_t cells,
                    const std::function<double(std::size_t, std::size_t)>& value) {
  const std::size_t ns = plan.scenarios.size();
  Summaries out;
  out.quantiles.assign(ns * kQuantiles * cells, kNaN);
  out.means.assign(ns * cells, kNaN);
  std::vector<double> values;
  for (std::size_t s = 0; s < ns; ++s) {
    const auto& members = by_scenario[s];
    if (members.empty()) continue;
    for (std::size_t c = 0; c < cells; ++c) {
      values.clear();
      double sum = 0;
      for (const std::size_t p : members) {
        values.push_back(value(p, c));
        sum += values.back();
      }
      out.means[s * cells + c] = sum / static_cast<double>(values.size());
      std::sort(values.begin(), values.end(), [](double a, double b) {
        return a < b || (!std::isnan(a) && std::isnan(b));  // NaN last, as numpy sorts
      });
      for (int q = 0; q < kQuantiles; ++q) {
        out.quantiles[(s * kQuantiles + q) * cells + c] =
            linear_quantile(values, kBatchQuantiles[q]);
      }
    }
  }
  return out;
}

void write_summary(hid_t group, const std::string& name, const Summaries& s,
                   const std::vector<std::string>& dims_after_quantile,
                   const std::vector<hsize_t>& sizes_after_quantile, std::size_t scenarios,
                   const std::string& units, const std::string& long_name) {
  std::vector<std::string> dims = {"scenario", "quantile"};
  std::vector<hsize_t> sizes = {scenarios, static_cast<hsize_t>(kQuantiles)};
  dims.insert(dims.end(), dims_after_quantile.begin(), dims_after_quantile.end());
  sizes.insert(sizes.end(), sizes_after_quantile.begin(), sizes_after_quantile.end());
  variable(group, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, sizes, s.quantiles, units,
           long_name + " (quantiles over the scenario's runs)");
  dims.erase(dims.begin() + 1);
  sizes.erase(sizes.begin() + 1);
  variable(group, name + "_mean", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, dims, sizes, s.means, units,
           long_name + " (mean over the scenario's runs)");
}

/** The dimensions summary and differences share. */
void summary_dimensions(hid_t group, const BatchPlan& plan, const std::vector<double>& days,
                        const std::vector<int>& years, const std::vector<double>& year_days,
                        const std::string& time_units) {
  scenario_dimension(group, plan, false);
  time_scale(group, days, time_units, "first day of the month the state is recorded at");
  year_scales(group, years, year_days, time_units);
  std::vector<double> q(std::begin(kBatchQuantiles), std::end(kBatchQuantiles));
  scale(group, "quantile", H5T_IEEE_F64LE, q);
  {
    Handle ds(H5Dopen2(group, "quantile", H5P_DEFAULT), H5Dclose, "open quantile");
    attr_text(ds, "long_name",
              "probability of the quantile over the scenario's runs (linear interpolation "
              "between order statistics, Hyndman and Fan type 7)");
  }
  index_scale(group, "group", kGroups, "population group");
  std::vector<std::string> names;
  for (const auto& g : kReportGroups) names.emplace_back(g.key);
  labels(group, "group_name", "group", "population group", names);
}

}  // namespace

double linear_quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const std::size_t n = sorted.size();
  const double index = static_cast<double>(n - 1) * p;
  const double below = std::floor(index);
  const double gamma = index - below;
  const auto lo = static_cast<std::size_t>(below);
  const std::size_t hi = std::min(lo + 1, n - 1);
  const double a = sorted[lo], b = sorted[hi];
  const double diff = b - a;
  // numpy's _lerp: from the nearer end, so the result stays within [a, b].
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

void write_batch_file(const std::string& path, const BatchPlan& plan,
                      const std::vector<std::uint64_t>& runs,
                      const std::function<RunRecord(std::uint64_t)>& record,
                      const BatchExecution& execution, const std::string& shard) {
  const Scenario& first = plan.scenarios.front();
  const std::vector<CivilDate> dates = batch_dates(first);
  const std::size_t nt = dates.size(), nr = runs.size(), np = plan.parameter_names.size();
  const std::string time_units = "days since " + to_iso(first.start);
  const std::int64_t day0 = days_from_civil(first.start);
  std::vector<double> days;
  for (const auto& d : dates) days.push_back(static_cast<double>(days_from_civil(d) - day0));
  std::vector<int> years;
  std::vector<std::size_t> year_records;
  std::vector<double> year_days;
  for (const int y : plan.milestones) {
    const CivilDate date{y, plan.milestone_month, 1};
    for (std::size_t t = 0; t < nt; ++t) {
      if (dates[t] != date) continue;
      years.push_back(y);
      year_records.push_back(t);
      year_days.push_back(days[t]);
    }
  }
  const std::size_t ny = years.size();
  std::vector<int> selected;
  for (const auto& name : plan.variables) selected.push_back(measure_index(name));

  Handle file = create_file(path);
  // The run dimension and the per-run coordinates.
  std::vector<std::int32_t> run_numbers;
  {
    std::vector<std::int32_t> numbers, scenario_index, reference;
    std::vector<std::int64_t> replicate, draw, seed;
    std::vector<std::string> scenario_name;
    std::vector<double> values;
    for (const std::uint64_t k : runs) {
      const BatchRun r = plan.run(k);
      numbers.push_back(static_cast<std::int32_t>(k));
      scenario_index.push_back(static_cast<std::int32_t>(r.scenario));
      scenario_name.push_back(plan.scenarios[r.scenario].name);
      replicate.push_back(static_cast<std::int64_t>(r.replicate));
      draw.push_back(plan.draws.empty() ? -1 : plan.draws[r.draw].number);
      seed.push_back(static_cast<std::int64_t>(plan.scenarios[r.scenario].seed));
      reference.push_back(static_cast<std::int32_t>(r.reference_run));
      for (std::size_t j = 0; j < np; ++j) values.push_back(plan.draws[r.draw].values[j]);
    }
    run_numbers = numbers;
    run_scale(file, run_numbers);
    labels(file, "run_scenario", "run", "scenario name of the run", scenario_name);
    variable(file, "run_scenario_index", H5T_STD_I32LE, H5T_NATIVE_INT32, {"run"}, {nr},
             scenario_index, "1", "index of the run's scenario along the scenario dimension");
    variable(file, "replicate", H5T_STD_I64LE, H5T_NATIVE_INT64, {"run"}, {nr}, replicate, "1",
             "replicate: the random stream is keyed on (seed, replicate)");
    variable(file, "draw", H5T_STD_I64LE, H5T_NATIVE_INT64, {"run"}, {nr}, draw, "1",
             "parameter draw of the run (-1: the scenario's own values)");
    variable(file, "seed", H5T_STD_I64LE, H5T_NATIVE_INT64, {"run"}, {nr}, seed, "1",
             "random seed of the run");
    variable(file, "reference_run", H5T_STD_I32LE, H5T_NATIVE_INT32, {"run"}, {nr}, reference, "1",
             "the reference scenario's run with the same draw and replicate (-1: none)");
    index_scale(file, "parameter", np, "parameter drawn for the batch");
    labels(file, "parameter_name", "parameter", "name of the parameter (see divsim params)",
           plan.parameter_names);
    variable(file, "parameter_value", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {"run", "parameter"},
             {nr, np}, values, "1", "value of the parameter in the run (units: divsim params)");
  }
  scenario_dimension(file, plan, true);
  time_scale(file, days, time_units, "first day of the month the state is recorded at");
  strata(file);

  std::vector<std::unique_ptr<RunVariable>> measures, milestone_measures;
  const hsize_t ns = kStrata;
  for (const int m : selected) {
    const std::string name(kMeasureInfo[m].name);
    measures.push_back(
        std::make_unique<RunVariable>(file, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                      std::vector<std::string>{"run", "time", "stratum"},
                                      std::vector<hsize_t>{nr, nt, ns}, true));
    measure_attributes(measures.back()->id(), m);
  }
  Handle milestones = new_group(file, "milestones");
  attr_text(milestones, "description",
            "every run's records at the review milestones; a milestone year is read on the first "
            "day of the month given by parameter output.milestone_month");
  {
    std::vector<std::int32_t> y(years.begin(), years.end());
    scale(milestones, "year", H5T_NATIVE_INT32, y);
    Handle ds(H5Dopen2(milestones, "year", H5P_DEFAULT), H5Dclose, "open year");
    attr_text(ds, "long_name", "review milestone year (WSIS+20 outcome zero draft)");
  }
  variable(milestones, "time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {"year"}, {ny}, year_days,
           time_units, "date the milestone year is read at");
  run_scale(milestones, run_numbers);
  strata(milestones);
  for (const int m : selected) {
    milestone_measures.push_back(std::make_unique<RunVariable>(
        milestones, std::string(kMeasureInfo[m].name), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
        std::vector<std::string>{"run", "year", "stratum"}, std::vector<hsize_t>{nr, ny, ns},
        true));
    measure_attributes(milestone_measures.back()->id(), m);
  }
  Handle policy = new_group(file, "policy");
  attr_text(policy, "description",
            "money spent during the month ending at the date, summed over the run's funds, by "
            "use; US dollars stored as whole cents (scale_factor 0.01); the funds of each "
            "scenario are in its run files (divsim run)");
  time_scale(policy, days, time_units, "first day of the month the state is recorded at");
  run_scale(policy, run_numbers);
  index_scale(policy, "use", kLedgerUses, "what the money is spent on");
  labels(policy, "use_name", "use", "use of the money",
         std::vector<std::string>(kLedgerUseNames.begin(), kLedgerUseNames.end()));
  RunVariable spending(policy, "spending", H5T_STD_I64LE, H5T_NATIVE_INT64, {"run", "time", "use"},
                       {nr, nt, static_cast<hsize_t>(kLedgerUses)}, false);
  attr_text(spending.id(), "units", "USD");
  attr_text(spending.id(), "long_name", "money spent during the month, by use");
  attr_double(spending.id(), "scale_factor", 0.01);

  // The indicators the kept measures allow.
  auto kept = [&](Measure m) {
    return std::find(selected.begin(), selected.end(), static_cast<int>(m)) != selected.end();
  };
  std::vector<int> indicators;
  for (int i = 0; i < static_cast<int>(std::size(kIndicators)); ++i) {
    if (kept(kIndicators[i].numerator) && kept(kIndicators[i].base)) indicators.push_back(i);
  }
  const bool users_kept = kept(Measure::internet_users) && kept(Measure::population);
  const bool summary = shard.empty();
  std::vector<RunSeries> series;
  if (summary) series.reserve(nr);

  std::vector<double> slab(nt * kStrata), year_slab(ny * kStrata);
  for (std::size_t position = 0; position < nr; ++position) {
    RunRecord r = record(runs[position]);
    if (r.run != runs[position] || r.records.size() != nt ||
        r.spending.size() != nt * kLedgerUses) {
      throw RuntimeFailure("batch: run " + std::to_string(runs[position]) +
                           ": expected its record with " + std::to_string(nt) +
                           " months, found another");
    }
    for (std::size_t i = 0; i < selected.size(); ++i) {
      const int m = selected[i];
      for (std::size_t t = 0; t < nt; ++t) {
        for (int s = 0; s < kStrata; ++s) slab[t * kStrata + s] = r.records[t][m * kStrata + s];
      }
      measures[i]->write(position, slab.data());
      for (std::size_t y = 0; y < ny; ++y) {
        for (int s = 0; s < kStrata; ++s) {
          year_slab[y * kStrata + s] = r.records[year_records[y]][m * kStrata + s];
        }
      }
      milestone_measures[i]->write(position, year_slab.data());
    }
    spending.write(position, r.spending.data());
    if (summary) series.push_back(series_of(r, indicators));
  }

  if (summary) {
    std::vector<std::vector<std::size_t>> by_scenario(plan.scenarios.size());
    std::vector<std::size_t> position_of(plan.runs(), 0);
    for (std::size_t p = 0; p < nr; ++p) {
      by_scenario[plan.run(runs[p]).scenario].push_back(p);
      position_of[runs[p]] = p;
    }
    const std::size_t nsc = plan.scenarios.size();
    const std::size_t cells = kGroups * nt;
    Handle group = new_group(file, "summary");
    attr_text(group, "description",
              "quantiles and means over each scenario's runs (all draws and replicates) of rates "
              "in percent of the group, Internet users and cumulative spending");
    summary_dimensions(group, plan, days, years, year_days, time_units);
    for (std::size_t i = 0; i < indicators.size(); ++i) {
      const Indicator& ind = kIndicators[indicators[i]];
      // Stored as (scenario, quantile, time, group): cells are time-major.
      auto s = summarise(plan, by_scenario, cells, [&](std::size_t p, std::size_t c) {
        const std::size_t t = c / kGroups, g = c % kGroups;
        return series[p].rates[(i * kGroups + g) * nt + t];
      });
      write_summary(group, ind.name, s, {"time", "group"}, {nt, static_cast<hsize_t>(kGroups)}, nsc,
                    "percent", ind.long_name);
    }
    if (users_kept) {
      auto s = summarise(plan, by_scenario, cells, [&](std::size_t p, std::size_t c) {
        return series[p].users[(c % kGroups) * nt + c / kGroups];
      });
      write_summary(group, "internet_users", s, {"time", "group"},
                    {nt, static_cast<hsize_t>(kGroups)}, nsc, "1",
                    "individuals using the Internet (weighted persons)");
    }
    auto spent = summarise(plan, by_scenario, nt,
                           [&](std::size_t p, std::size_t t) { return series[p].spent[t]; });
    write_summary(group, "spending_usd", spent, {"time"}, {nt}, nsc, "USD",
                  "money spent from the start through the date, all funds and uses");

    if (plan.reference && users_kept) {
      Handle diff = new_group(file, "differences");
      attr_text(diff, "description",
                "paired differences between each run and the reference scenario's run with the "
                "same draw and replicate (common random numbers), then quantiles and means over "
                "each scenario's runs; the reference scenario's own differences are zero");
      attr_text(diff, "reference_scenario", plan.scenarios[*plan.reference].name);
      summary_dimensions(diff, plan, days, years, year_days, time_units);
      auto ref = [&](std::size_t p) {
        return position_of[static_cast<std::size_t>(plan.run(runs[p]).reference_run)];
      };
      auto gained = summarise(plan, by_scenario, cells, [&](std::size_t p, std::size_t c) {
        const std::size_t t = c / kGroups, g = c % kGroups;
        return series[p].users[g * nt + t] - series[ref(p)].users[g * nt + t];
      });
      write_summary(diff, "users_gained", gained, {"time", "group"},
                    {nt, static_cast<hsize_t>(kGroups)}, nsc, "1",
                    "additional Internet users against the reference run (weighted persons)");
      auto change = summarise(plan, by_scenario, cells, [&](std::size_t p, std::size_t c) {
        const std::size_t t = c / kGroups, g = c % kGroups;
        return series[p].rates[g * nt + t] - series[ref(p)].rates[g * nt + t];
      });
      write_summary(diff, "use_change_pp", change, {"time", "group"},
                    {nt, static_cast<hsize_t>(kGroups)}, nsc, "percentage points",
                    "change in Internet use against the reference run");
      auto extra = summarise(plan, by_scenario, nt, [&](std::size_t p, std::size_t t) {
        return series[p].spent[t] - series[ref(p)].spent[t];
      });
      write_summary(diff, "additional_spending_usd", extra, {"time"}, {nt}, nsc, "USD",
                    "spending from the start through the date beyond the reference run's");
      std::vector<double> cost(nsc * ny, kNaN);
      for (std::size_t s = 0; s < nsc; ++s) {
        for (std::size_t y = 0; y < ny; ++y) {
          const std::size_t t = year_records[y];
          const double users = gained.means[s * cells + t * kGroups + 0];
          const double money = extra.means[s * nt + t];
          if (s != *plan.reference && users > 0) cost[s * ny + y] = money / users;
        }
      }
      variable(diff, "cost_per_user_gained_usd", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
               {"scenario", "year"}, {nsc, ny}, cost, "USD",
               "mean additional spending over mean additional Internet users (world) at the "
               "milestone; NaN where the mean gain is not positive");
    }
  }

  // Provenance: what the data are a function of, then how this file was executed.
  std::string inputs = plan.input_files;
  std::int64_t agents = plan.scenarios.front().agents;
  attr_text(file, "Conventions", "CF-1.8");
  attr_text(file, "title", "divsim batch: " + plan.name);
  attr_text(file, "source", "divsim " + engine_version());
  attr_text(file, "history", utc_timestamp() + " " + execution.command_line);
  attr_text(file, "engine_version", engine_version());
  attr_text(file, "git_commit", git_commit());
  attr_text(file, "dependency_versions", dependency_versions());
  attr_text(file, "batch_name", plan.name);
  attr_text(file, "batch_file", plan.file);
  attr_text(file, "batch_text", plan.text);
  attr_text(file, "batch_sha256", sha256_hex(plan.text));
  attr_text(file, "batch_digest", plan.digest);
  attr_text(file, "reference_scenario", plan.reference ? plan.scenarios[*plan.reference].name : "");
  attr_text(file, "draw_method", plan.draw_method);
  attr_text(file, "input_files", inputs);
  attr_text(file, "start_date", to_iso(first.start));
  attr_text(file, "end_date", to_iso(first.end));
  attr_text(file, "random_generator", "Philox4x64-10 keyed on (seed, replicate)");
  if (!shard.empty()) attr_text(file, "shard", shard);
  attr_int64(file, "runs", static_cast<std::int64_t>(plan.runs()));
  attr_int64(file, "replicates", static_cast<std::int64_t>(plan.replicates));
  attr_int64(file, "draws", static_cast<std::int64_t>(plan.draws.size()));
  attr_int64(file, "agents", agents);
  attr_text(file, "created", utc_timestamp());
  attr_text(file, "command_line", execution.command_line);
  attr_int64(file, "mpi_ranks", execution.mpi_ranks);
  attr_int64(file, "threads", execution.threads);
  attr_int64(file, "jobs", execution.jobs);
  attr_double(file, "wall_time_seconds", execution.wall_time_seconds);
  attr_double(file, "runs_per_hour",
              execution.wall_time_seconds > 0
                  ? static_cast<double>(nr) * 3600.0 / execution.wall_time_seconds
                  : 0.0);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
}

}  // namespace divsim
