// Reading divsim's HDF5 files with checks: every defect is an InputError naming the file.
#pragma once

#include <hdf5.h>

#include <string>
#include <vector>

#include "divsim/core/error.h"
#include "output/hdf5_handle.h"

namespace divsim::detail {

/** Reads one file; every defect it finds is an InputError naming the file. */
class Reader {
 public:
  /** `kind` names what the file should be in messages: "run file", "batch file". */
  explicit Reader(std::string path, std::string kind = "run file")
      : path_(std::move(path)), kind_(std::move(kind)) {}

  const std::string& path() const noexcept { return path_; }

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError({path_, 0, 0}, "", message);
  }

  /** Whether every link of `path` (`a/b/c`) exists. */
  bool has(hid_t file, const std::string& path) const {
    for (std::size_t end = path.find('/');; end = path.find('/', end + 1)) {
      const std::string part = path.substr(0, end);
      if (H5Lexists(file, part.c_str(), H5P_DEFAULT) <= 0) return false;
      if (end == std::string::npos) return true;
    }
  }

  void require(hid_t file, const std::string& path, const std::string& why) const {
    if (!has(file, path)) fail("not a divsim " + kind_ + " (no " + path + why + ")");
  }

  /** A root attribute's type class, or fails when the attribute is missing. */
  Handle attribute(hid_t file, const std::string& name) const {
    if (H5Aexists(file, name.c_str()) <= 0) {
      fail("not a divsim " + kind_ + " (no attribute " + name + ")");
    }
    return Handle(H5Aopen(file, name.c_str(), H5P_DEFAULT), H5Aclose,
                  "open attribute " + name + " of " + path_);
  }

  std::string text_attribute(hid_t file, const std::string& name) const {
    Handle attr = attribute(file, name);
    Handle type(H5Aget_type(attr), H5Tclose, "read the type of attribute " + name);
    if (H5Tget_class(type) != H5T_STRING) fail("attribute " + name + ": expected text");
    Handle space(H5Aget_space(attr), H5Sclose, "read the space of attribute " + name);
    if (H5Sget_simple_extent_npoints(space) != 1) fail("attribute " + name + ": expected one text");
    if (H5Tis_variable_str(type) > 0) {
      Handle memory(H5Tcopy(H5T_C_S1), H5Tclose, "copy a string type");
      check(H5Tset_size(memory, H5T_VARIABLE), "make a variable-length string type");
      char* value = nullptr;
      check(H5Aread(attr, memory, &value), "read attribute " + name + " of " + path_);
      std::string out = value ? value : "";
      H5free_memory(value);
      return out;
    }
    const std::size_t size = H5Tget_size(type);
    std::string buffer(size, '\0');
    check(H5Aread(attr, type, buffer.data()), "read attribute " + name + " of " + path_);
    return buffer.substr(0, buffer.find('\0'));
  }

  template <typename T>
  T number_attribute(hid_t file, const std::string& name, hid_t memory) const {
    Handle attr = attribute(file, name);
    Handle type(H5Aget_type(attr), H5Tclose, "read the type of attribute " + name);
    if (H5Tget_class(type) != H5T_INTEGER) fail("attribute " + name + ": expected an integer");
    Handle space(H5Aget_space(attr), H5Sclose, "read the space of attribute " + name);
    if (H5Sget_simple_extent_npoints(space) != 1) {
      fail("attribute " + name + ": expected one integer");
    }
    T value{};
    check(H5Aread(attr, memory, &value), "read attribute " + name + " of " + path_);
    return value;
  }

  /** A dataset's dimensions, checked against `rank`. */
  std::vector<hsize_t> dims(hid_t ds, const std::string& name, int rank) const {
    Handle space(H5Dget_space(ds), H5Sclose, "read the space of " + name);
    const int n = H5Sget_simple_extent_ndims(space);
    if (n != rank) {
      fail(name + ": expected " + std::to_string(rank) + " dimension(s), found " +
           std::to_string(n));
    }
    std::vector<hsize_t> out(static_cast<std::size_t>(rank));
    check(H5Sget_simple_extent_dims(space, out.data(), nullptr), "read the dimensions of " + name);
    return out;
  }

  /** A numeric dataset of `rank` dimensions read as `memory`; integers only when `whole`. */
  template <typename T>
  std::vector<T> numbers(hid_t file, const std::string& name, int rank, hid_t memory, bool whole,
                         std::vector<hsize_t>* shape = nullptr) const {
    Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    Handle type(H5Dget_type(ds), H5Tclose, "read the type of " + name);
    const H5T_class_t kind = H5Tget_class(type);
    if (whole ? kind != H5T_INTEGER : (kind != H5T_INTEGER && kind != H5T_FLOAT)) {
      fail(name + (whole ? ": expected integers" : ": expected numbers"));
    }
    const std::vector<hsize_t> d = dims(ds, name, rank);
    std::size_t n = 1;
    for (const hsize_t x : d) n *= static_cast<std::size_t>(x);
    std::vector<T> out(n);
    if (n > 0)
      check(H5Dread(ds, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "read " + name);
    if (shape) *shape = d;
    return out;
  }

  /** A one-dimensional string dataset (variable or fixed length). */
  std::vector<std::string> strings(hid_t file, const std::string& name) const {
    Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
    Handle type(H5Dget_type(ds), H5Tclose, "read the type of " + name);
    if (H5Tget_class(type) != H5T_STRING) fail(name + ": expected strings");
    const std::size_t n = static_cast<std::size_t>(dims(ds, name, 1)[0]);
    std::vector<std::string> out;
    if (n == 0) return out;
    if (H5Tis_variable_str(type) > 0) {
      Handle memory(H5Tcopy(H5T_C_S1), H5Tclose, "copy a string type");
      check(H5Tset_size(memory, H5T_VARIABLE), "make a variable-length string type");
      check(H5Tset_cset(memory, H5Tget_cset(type)), "set a string character set");
      std::vector<char*> values(n, nullptr);
      check(H5Dread(ds, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "read " + name);
      for (const char* v : values) out.emplace_back(v ? v : "");
      Handle space(H5Dget_space(ds), H5Sclose, "read the space of " + name);
#if H5_VERSION_GE(1, 12, 0)
      H5Treclaim(memory, space, H5P_DEFAULT, values.data());
#else
      H5Dvlen_reclaim(memory, space, H5P_DEFAULT, values.data());
#endif
      return out;
    }
    const std::size_t size = H5Tget_size(type);
    std::string buffer(size * n, '\0');
    check(H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), "read " + name);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string one = buffer.substr(i * size, size);
      out.push_back(one.substr(0, one.find('\0')));
    }
    return out;
  }

 private:
  std::string path_;
  std::string kind_;
};

}  // namespace divsim::detail
