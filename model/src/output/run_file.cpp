// HDF5 C API writer for run files that xarray, netCDF tools, h5py and R open without help.
#include "divsim/output/run_file.h"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cmath>
#include <limits>

#include "divsim/core/error.h"
#include "output/hdf5_handle.h"
#include "output/hdf5_writer.h"

namespace divsim {
namespace {

using namespace detail;  // the writer's helpers: one vocabulary for every file divsim writes

constexpr const char* kCoordinates = "income_group area sex age_band disability";

/** One (dim0, stratum) variable per measure, from a row getter. */
void measures(hid_t group, const std::string& dim0, std::size_t rows,
              const std::vector<const StratumCounts*>& records, const std::vector<int>& selected) {
  const hsize_t dims[2] = {rows, static_cast<hsize_t>(kStrata)};
  const hsize_t chunk[2] = {rows, static_cast<hsize_t>(kStrata)};
  std::vector<double> data(rows * kStrata);
  for (const int m : selected) {
    const std::string name(kMeasureInfo[m].name);
    for (std::size_t t = 0; t < rows; ++t) {
      for (int s = 0; s < kStrata; ++s) data[t * kStrata + s] = (*records[t])[m * kStrata + s];
    }
    Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose, "create space for " + name);
    Handle dcpl = dataset_properties(rows > 0, chunk, 2);  // HDF5 refuses empty chunks
    const double fill = std::numeric_limits<double>::quiet_NaN();
    check(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill), "set fill value");
    Handle ds(
        H5Dcreate2(group, name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
        H5Dclose, "create " + name);
    check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()),
          "write " + name);
    attach(group, ds, {dim0, "stratum"});
    attr_double(ds, "_FillValue", fill);
    attr_text(ds, "units", "1");
    attr_text(ds, "long_name", std::string(kMeasureInfo[m].long_name));
    attr_text(ds, "coordinates", kCoordinates);
  }
}

/** The group `policy`: the money ledger by source and use, the programmes, schools connected. */
void policy_group(hid_t file, const Ledger& ledger, const std::vector<double>& days,
                  const std::string& time_units) {
  Handle gcpl = group_properties();
  Handle group(H5Gcreate2(file, "policy", H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose,
               "create group policy");
  attr_text(group, "description",
            "money in US dollars (stored as whole cents, scale_factor 0.01) by source (fund) and "
            "use, month by month: flows during the month ending at the date, balances at the "
            "date; see docs/interventions.md");
  scale(group, "time", H5T_IEEE_F64LE, days);
  {
    Handle ds(H5Dopen2(group, "time", H5P_DEFAULT), H5Dclose, "open policy/time");
    time_attributes(ds, time_units, "first day of the month the state is recorded at");
  }
  const auto& sources = ledger.sources();
  const auto& programmes = ledger.programmes();
  const hsize_t nt = ledger.months(), ns = sources.size(), nu = kLedgerUses, np = programmes.size();
  index_scale(group, "source", ns, "fund the money comes from");
  index_scale(group, "use", nu, "what the money is spent on");
  index_scale(group, "programme", np, "programme that spends the money");
  index_scale(group, "income_group", kIncomeGroups, "World Bank income group of the country");
  std::vector<std::string> names, types, instruments;
  for (const auto& s : sources) {
    names.push_back(s.name);
    types.push_back(s.type);
    instruments.push_back(s.instrument);
  }
  labels(group, "source_name", "source", "name of the fund in the scenario", names);
  labels(group, "source_type", "source", "intervention type of the fund", types);
  labels(group, "source_instrument", "source", "where the fund's money comes from", instruments);
  labels(group, "use_name", "use", "use of the money",
         std::vector<std::string>(kLedgerUseNames.begin(), kLedgerUseNames.end()));
  names.clear(), types.clear();
  std::vector<std::string> funding, uses;
  for (const auto& p : programmes) {
    names.push_back(p.name);
    types.push_back(p.type);
    funding.push_back(p.funding);
    uses.push_back(std::string(kLedgerUseNames[static_cast<int>(p.use)]));
  }
  labels(group, "programme_name", "programme", "name of the programme in the scenario", names);
  labels(group, "programme_type", "programme", "intervention type of the programme", types);
  labels(group, "programme_funding", "programme", "name of the fund the programme draws on",
         funding);
  labels(group, "programme_use", "programme", "use of the programme's money", uses);
  labels(group, "income_group_name", "income_group", "World Bank income group",
         std::vector<std::string>(kIncomeGroupLabels.begin(), kIncomeGroupLabels.end()));

  auto by_source = [&](Cents (Ledger::*get)(std::size_t, std::size_t) const) {
    std::vector<Cents> out(nt * ns);
    for (std::size_t t = 0; t < nt; ++t) {
      for (std::size_t s = 0; s < ns; ++s) out[t * ns + s] = (ledger.*get)(t, s);
    }
    return out;
  };
  const std::vector<std::string> ts = {"time", "source"};
  auto money = [&](const std::string& name, const std::vector<std::string>& dims,
                   const std::vector<hsize_t>& sizes, const std::vector<Cents>& data,
                   const std::string& long_name) {
    variable(group, name, H5T_STD_I64LE, H5T_NATIVE_INT64, dims, sizes, data, "USD", long_name,
             0.01);
  };
  money("inflow_public", ts, {nt, ns}, by_source(&Ledger::inflow_public),
        "public money (or the levy) received by the fund during the month");
  money("inflow_private", ts, {nt, ns}, by_source(&Ledger::inflow_private),
        "private money received by the fund during the month (blended finance)");
  {
    std::vector<Cents> out(nt * ns * nu);
    for (std::size_t t = 0; t < nt; ++t) {
      for (std::size_t s = 0; s < ns; ++s) {
        for (std::size_t u = 0; u < nu; ++u) {
          out[(t * ns + s) * nu + u] = ledger.spending(t, s, static_cast<LedgerUse>(u));
        }
      }
    }
    money("spending", {"time", "source", "use"}, {nt, ns, nu}, out,
          "money spent during the month, by source and use");
  }
  money("balance_idle", ts, {nt, ns}, by_source(&Ledger::idle),
        "money the fund collected but never released to programmes");
  money("balance_undisbursed", ts, {nt, ns}, by_source(&Ledger::undisbursed),
        "money released by the fund but not yet given to a programme");
  money("balance_allotted", ts, {nt, ns}, by_source(&Ledger::allotted),
        "money given to programmes and not yet spent");
  money("debt", ts, {nt, ns}, by_source(&Ledger::debt),
        "debt outstanding with interest (development-bank loans)");
  const std::vector<std::string> tp = {"time", "programme"};
  std::vector<Cents> spent(nt * np), held(nt * np);
  std::vector<double> reached(nt * np);
  for (std::size_t t = 0; t < nt; ++t) {
    for (std::size_t p = 0; p < np; ++p) {
      spent[t * np + p] = ledger.programme_spending(t, p);
      held[t * np + p] = ledger.programme_balance(t, p);
      reached[t * np + p] = ledger.programme_reached(t, p);
    }
  }
  money("programme_spending", tp, {nt, np}, spent, "money the programme spent during the month");
  money("programme_balance", tp, {nt, np}, held, "money the programme holds, not yet spent");
  variable(group, "programme_reached", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, tp, {nt, np}, reached,
           "1",
           "persons the programme reached during the month (weighted persons): trainees, "
           "accepted offers, people newly covered or near a newly connected school");
  std::vector<double> schools(nt * kIncomeGroups);
  for (std::size_t t = 0; t < nt; ++t) {
    for (int g = 0; g < kIncomeGroups; ++g) {
      schools[t * kIncomeGroups + g] = ledger.schools_connected(t, g);
    }
  }
  variable(group, "schools_connected", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {"time", "income_group"},
           {nt, static_cast<hsize_t>(kIncomeGroups)}, schools, "1",
           "share of schools connected to the Internet (places weighted by their people)");
}

}  // namespace

void write_run_file(const std::string& path, const CivilDate& start, const Trajectory& trajectory,
                    const std::vector<MilestonePoint>& milestones, const Provenance& provenance,
                    const std::vector<std::string>& variables, const Ledger* ledger) {
  std::vector<int> selected;
  for (int m = 0; m < kMeasures; ++m) {
    if (variables.empty()) selected.push_back(m);
  }
  for (const auto& name : variables) {
    for (int m = 0; m < kMeasures; ++m) {
      if (kMeasureInfo[m].name == name) selected.push_back(m);
    }
  }
  Handle file = create_file(path);

  const std::string time_units = "days since " + to_iso(start);
  const std::int64_t day0 = days_from_civil(start);
  std::vector<double> days;
  for (const auto& d : trajectory.dates)
    days.push_back(static_cast<double>(days_from_civil(d) - day0));
  scale(file, "time", H5T_IEEE_F64LE, days);
  {
    Handle ds(H5Dopen2(file, "time", H5P_DEFAULT), H5Dclose, "open time");
    time_attributes(ds, time_units, "first day of the month the state is recorded at");
  }
  strata(file);
  std::vector<const StratumCounts*> rows;
  for (const auto& r : trajectory.records) rows.push_back(&r);
  measures(file, "time", rows.size(), rows, selected);

  {
    Handle gcpl = group_properties();
    Handle group(H5Gcreate2(file, "milestones", H5P_DEFAULT, gcpl, H5P_DEFAULT), H5Gclose,
                 "create group milestones");
    std::vector<std::int32_t> years;
    std::vector<double> dates;
    std::vector<const StratumCounts*> picked;
    for (const auto& m : milestones) {
      years.push_back(m.year);
      dates.push_back(static_cast<double>(days_from_civil(m.date) - day0));
      picked.push_back(&trajectory.records[m.record]);
    }
    scale(group, "year", H5T_NATIVE_INT32, years);
    {
      Handle ds(H5Dopen2(group, "year", H5P_DEFAULT), H5Dclose, "open year");
      attr_text(ds, "long_name", "review milestone year (WSIS+20 outcome zero draft)");
    }
    {
      const hsize_t n = dates.size();
      Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "create space for time");
      Handle dcpl = dataset_properties(false, nullptr, 1);
      Handle ds(H5Dcreate2(group, "time", H5T_IEEE_F64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
                H5Dclose, "create milestones/time");
      check(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, dates.data()),
            "write milestones/time");
      attach(group, ds, {"year"});
      time_attributes(ds, time_units, "date the milestone year is read at");
    }
    strata(group);
    measures(group, "year", picked.size(), picked, selected);
    attr_text(group, "description",
              "the run's records at the review milestones; a milestone year is read on the first "
              "day of the month given by parameter output.milestone_month");
  }
  if (ledger) policy_group(file, *ledger, days, time_units);

  for (const auto& [k, v] : provenance.text) attr_text(file, k, v);
  for (const auto& [k, v] : provenance.integers) attr_int64(file, k, v);
  for (const auto& [k, v] : provenance.unsigned_integers) attr_uint64(file, k, v);
  for (const auto& [k, v] : provenance.reals) attr_double(file, k, v);
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + path);
}

}  // namespace divsim
