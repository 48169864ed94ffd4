// Helpers for writing NetCDF-4-compatible HDF5 (dimension scales, CF attributes): one vocabulary
// for the run file and the batch file.
#pragma once

#include <hdf5.h>
#include <hdf5_hl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "output/hdf5_handle.h"

namespace divsim::detail {

void attr_raw(hid_t obj, const std::string& name, hid_t type, const void* value);
/** Strings as netCDF writes NC_CHAR attributes: fixed length, null-terminated padding. */
void attr_text(hid_t obj, const std::string& name, const std::string& value);
void attr_double(hid_t obj, const std::string& name, double value);
void attr_int64(hid_t obj, const std::string& name, std::int64_t value);
void attr_uint64(hid_t obj, const std::string& name, std::uint64_t value);

/** Dataset creation properties: attribute order tracked; chunked with shuffle and deflate. */
Handle dataset_properties(bool chunked, const hsize_t* chunk, int rank);
/** Group creation properties: link and attribute order tracked. */
Handle group_properties();
/** A new file with the properties every divsim file has (creation order, dense attributes). */
Handle create_file(const std::string& path);

/** Attaches the group's dimension scales `dims` to the dimensions of `ds`, in order. */
void attach(hid_t group, hid_t ds, const std::vector<std::string>& dims);
/** A string coordinate over one of the group's dimensions. */
void labels(hid_t group, const std::string& name, const std::string& dim,
            const std::string& long_name, const std::vector<std::string>& values);
/** The `stratum` dimension and its five labels. */
void strata(hid_t group);
/** CF attributes of a time variable. */
void time_attributes(hid_t ds, const std::string& units, const std::string& long_name);
/** An int32 dimension scale 0 … n-1 with a long_name. */
void index_scale(hid_t group, const std::string& name, std::size_t n, const std::string& long_name);

/** A 1-D dimension scale with its values. */
template <typename T>
void scale(hid_t group, const std::string& name, hid_t type, const std::vector<T>& values) {
  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose, "create space for " + name);
  Handle dcpl = dataset_properties(false, nullptr, 1);
  Handle ds(H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), H5Dclose,
            "create " + name);
  check(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "write " + name);
  check(H5DSset_scale(ds, name.c_str()), "make " + name + " a dimension scale");
}

/** A variable over the group's dimension scales `dims`, from row-major `data`. */
template <typename T>
void variable(hid_t group, const std::string& name, hid_t file_type, hid_t memory_type,
              const std::vector<std::string>& dims, const std::vector<hsize_t>& sizes,
              const std::vector<T>& data, const std::string& units, const std::string& long_name,
              double scale_factor = 0) {
  Handle space(H5Screate_simple(static_cast<int>(sizes.size()), sizes.data(), nullptr), H5Sclose,
               "create space for " + name);
  Handle dcpl = dataset_properties(false, nullptr, 1);
  Handle ds(H5Dcreate2(group, name.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT),
            H5Dclose, "create " + name);
  if (!data.empty()) {
    check(H5Dwrite(ds, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), "write " + name);
  }
  attach(group, ds, dims);
  attr_text(ds, "units", units);
  attr_text(ds, "long_name", long_name);
  if (scale_factor != 0) attr_double(ds, "scale_factor", scale_factor);
}

}  // namespace divsim::detail
