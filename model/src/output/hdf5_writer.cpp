// Helpers for writing NetCDF-4-compatible HDF5 shared by the run file and the batch file.
#include "output/hdf5_writer.h"

#include "divsim/world/strata.h"

namespace divsim::detail {

void attr_raw(hid_t obj, const std::string& name, hid_t type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
  Handle attr(H5Acreate2(obj, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              "create attribute " + name);
  check(H5Awrite(attr, type, value), "write attribute " + name);
}

void attr_text(hid_t obj, const std::string& name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy a string type");
  check(H5Tset_size(type, value.empty() ? 1 : value.size()), "size a string type");
  check(H5Tset_strpad(type, H5T_STR_NULLTERM), "pad a string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set a string character set");
  const std::string padded = value.empty() ? std::string(1, '\0') : value;
  attr_raw(obj, name, type, padded.data());
}

void attr_double(hid_t obj, const std::string& name, double value) {
  attr_raw(obj, name, H5T_NATIVE_DOUBLE, &value);
}

void attr_int64(hid_t obj, const std::string& name, std::int64_t value) {
  attr_raw(obj, name, H5T_NATIVE_INT64, &value);
}

void attr_uint64(hid_t obj, const std::string& name, std::uint64_t value) {
  attr_raw(obj, name, H5T_NATIVE_UINT64, &value);
}

Handle dataset_properties(bool chunked, const hsize_t* chunk, int rank) {
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "create dataset properties");
  check(H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "track attribute order");
  if (chunked) {
    check(H5Pset_chunk(dcpl, rank, chunk), "set chunking");
    check(H5Pset_shuffle(dcpl), "set shuffle");
    check(H5Pset_deflate(dcpl, 4), "set deflate");
  }
  return Handle(H5Pcopy(dcpl), H5Pclose, "copy dataset properties");
}

void attach(hid_t group, hid_t ds, const std::vector<std::string>& dims) {
  for (std::size_t d = 0; d < dims.size(); ++d) {
    Handle dim(H5Dopen2(group, dims[d].c_str(), H5P_DEFAULT), H5Dclose, "open " + dims[d]);
    check(H5DSattach_scale(ds, dim, static_cast<unsigned>(d)), "attach " + dims[d]);
  }
}

void labels(hid_t group, const std::string& name, const std::string& dim,
            const std::string& long_name, const std::vector<std::string>& values) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy a string type");
  check(H5Tset_size(type, H5T_VARIABLE), "make a variable-length string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set a string character set");
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "create space for " + name);
  Handle dcpl = dataset_properties(false, nullptr, 1);
  Handle ds(H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
            "create " + name);
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  if (n > 0) {
    check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), "write " + name);
  }
  attr_text(ds, "long_name", long_name);
  attach(group, ds, {dim});
}

void strata(hid_t group) {
  std::vector<std::int32_t> index(kStrata);
  std::vector<std::string> income(kStrata), area(kStrata), sex(kStrata), age(kStrata), dis(kStrata);
  for (int s = 0; s < kStrata; ++s) {
    const StratumKey k = stratum_key(s);
    index[s] = s;
    income[s] = kIncomeGroupLabels[k.income_group];
    area[s] = kAreaLabels[k.area];
    sex[s] = kSexLabels[k.sex];
    age[s] = kAgeBandLabels[k.age_band];
    dis[s] = kDisabilityLabels[k.disability];
  }
  scale(group, "stratum", H5T_NATIVE_INT32, index);
  {
    Handle ds(H5Dopen2(group, "stratum", H5P_DEFAULT), H5Dclose, "open stratum");
    attr_text(ds, "long_name",
              "population stratum (income group x area x sex x age band x disability)");
  }
  labels(group, "income_group", "stratum", "World Bank income group of the country", income);
  labels(group, "area", "stratum", "urban or rural area (national definitions)", area);
  labels(group, "sex", "stratum", "sex", sex);
  labels(group, "age_band", "stratum", "age band in completed years", age);
  labels(group, "disability", "stratum", "living with a significant disability", dis);
}

Handle group_properties() {
  Handle gcpl(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "create group properties");
  check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "track link order");
  check(H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "track attribute order");
  return Handle(H5Pcopy(gcpl), H5Pclose, "copy group properties");
}

void time_attributes(hid_t ds, const std::string& units, const std::string& long_name) {
  attr_text(ds, "units", units);
  attr_text(ds, "calendar", "proleptic_gregorian");
  attr_text(ds, "standard_name", "time");
  attr_text(ds, "long_name", long_name);
  attr_text(ds, "axis", "T");
}

void index_scale(hid_t group, const std::string& name, std::size_t n,
                 const std::string& long_name) {
  std::vector<std::int32_t> index(n);
  for (std::size_t k = 0; k < n; ++k) index[k] = static_cast<std::int32_t>(k);
  scale(group, name, H5T_NATIVE_INT32, index);
  Handle ds(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  attr_text(ds, "long_name", long_name);
}

Handle create_file(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose, "create file properties");
  check(H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "track link order");
  check(H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "track attribute order");
  // Dense attribute storage: scenario and batch texts may exceed the 64 KiB of a compact attribute.
  check(H5Pset_attr_phase_change(fcpl, 0, 0), "set dense attribute storage");
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), H5Fclose,
                "create " + path);
}

}  // namespace divsim::detail
