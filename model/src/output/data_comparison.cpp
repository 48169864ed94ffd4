// Walking both files' datasets and comparing their stored bytes (variable-length strings by text).
#include "divsim/output/data_comparison.h"

#include <hdf5.h>

#include <algorithm>

#include "divsim/core/error.h"
#include "output/hdf5_handle.h"
#include "output/hdf5_reader.h"

namespace divsim {
namespace {

using detail::check;
using detail::Handle;

herr_t collect(hid_t group, const char* name, const H5L_info_t*, void* data) {
  const hid_t object = H5Oopen(group, name, H5P_DEFAULT);
  if (object < 0) return 0;
  if (H5Iget_type(object) == H5I_DATASET)
    static_cast<std::vector<std::string>*>(data)->push_back(name);
  H5Oclose(object);
  return 0;
}

std::vector<std::string> datasets(hid_t file) {
  std::vector<std::string> out;
  check(H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, collect, &out), "list the datasets");
  return out;
}

Handle open_file(const std::string& path) {
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw InputError({path, 0, 0}, "", "expected a divsim HDF5 file, found none");
  }
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
}

std::vector<hsize_t> shape_of(hid_t ds) {
  Handle space(H5Dget_space(ds), H5Sclose, "get a dataset space");
  std::vector<hsize_t> dims(
      static_cast<std::size_t>(std::max(0, H5Sget_simple_extent_ndims(space))));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return dims;
}

/** The dataset's values as bytes: stored bytes, or the texts of variable-length strings. */
std::string contents(hid_t ds, std::size_t elements) {
  Handle type(H5Dget_type(ds), H5Tclose, "get a dataset type");
  std::string out;
  if (elements == 0) return out;
  if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
    std::vector<char*> values(elements, nullptr);
    check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read strings");
    for (char* v : values) {
      const std::string text = v ? v : "";
      out += std::to_string(text.size()) + ":" + text;
    }
    Handle space(H5Dget_space(ds), H5Sclose, "get a dataset space");
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(type, space, H5P_DEFAULT, values.data());
#else
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, values.data());
#endif
    return out;
  }
  out.resize(elements * H5Tget_size(type));
  check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read a dataset");
  return out;
}

}  // namespace

std::map<std::string, std::string> read_root_attributes(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const detail::Reader reader(path);
  if (H5Fis_hdf5(path.c_str()) <= 0) reader.fail("expected a divsim run or batch file, found none");
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, "open " + path);
  std::vector<std::string> names;
  check(H5Aiterate2(
            file, H5_INDEX_NAME, H5_ITER_INC, nullptr,
            [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
              static_cast<std::vector<std::string>*>(data)->push_back(name);
              return 0;
            },
            &names),
        "list the attributes of " + path);
  std::map<std::string, std::string> out;
  for (const auto& name : names) {
    Handle attr(H5Aopen(file, name.c_str(), H5P_DEFAULT), H5Aclose, "open attribute " + name);
    Handle type(H5Aget_type(attr), H5Tclose, "read the type of attribute " + name);
    if (H5Tget_class(type) == H5T_STRING) {
      out[name] = reader.text_attribute(file, name);
    } else if (H5Tget_class(type) == H5T_INTEGER) {
      out[name] = std::to_string(reader.number_attribute<long long>(file, name, H5T_NATIVE_LLONG));
    }
  }
  return out;
}

DataComparison compare_data(const std::string& a, const std::string& b) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Handle fa = open_file(a), fb = open_file(b);
  const auto names_a = datasets(fa), names_b = datasets(fb);
  DataComparison out;
  out.variables = names_a.size();
  for (const auto& name : names_a) {
    if (std::find(names_b.begin(), names_b.end(), name) == names_b.end()) {
      out.differences.push_back(name + ": missing from " + b);
      continue;
    }
    Handle da(H5Dopen2(fa, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    Handle db(H5Dopen2(fb, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    Handle ta(H5Dget_type(da), H5Tclose, "get a type"), tb(H5Dget_type(db), H5Tclose, "get a type");
    if (H5Tequal(ta, tb) <= 0) {
      out.differences.push_back(name + ": stored with another type");
      continue;
    }
    const auto sa = shape_of(da), sb = shape_of(db);
    if (sa != sb) {
      out.differences.push_back(name + ": another shape");
      continue;
    }
    std::size_t elements = 1;
    for (const hsize_t n : sa) elements *= static_cast<std::size_t>(n);
    const std::string va = contents(da, elements), vb = contents(db, elements);
    if (va != vb) {
      std::size_t at = 0;
      while (at < va.size() && at < vb.size() && va[at] == vb[at]) ++at;
      const std::size_t size = H5Tget_size(ta);
      const bool text = H5Tget_class(ta) == H5T_STRING && H5Tis_variable_str(ta) > 0;
      out.differences.push_back(
          name + ": not bit-identical" +
          (text ? std::string() : " (first at element " + std::to_string(at / size) + ")"));
    }
  }
  for (const auto& name : names_b) {
    if (std::find(names_a.begin(), names_a.end(), name) == names_a.end()) {
      out.differences.push_back(name + ": only in " + b);
    }
  }
  return out;
}

}  // namespace divsim
