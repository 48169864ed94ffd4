// Reading the runs of a part file back, for divsim merge.
#include <hdf5.h>

#include <limits>

#include "divsim/batch/batch_file.h"
#include "divsim/core/error.h"
#include "output/hdf5_reader.h"

namespace divsim {
namespace {

using detail::check;
using detail::Handle;
using detail::Reader;

/** Row `position` of a (run, a, b) dataset into `out` (a × b values of `memory`). */
void read_row(hid_t file, const std::string& name, std::size_t position, hsize_t a, hsize_t b,
              hid_t memory, void* out, const Reader& reader) {
  Handle ds(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
  const std::vector<hsize_t> dims = reader.dims(ds, name, 3);
  if (dims[1] != a || dims[2] != b) {
    reader.fail(name + ": expected " + std::to_string(a) + " x " + std::to_string(b) +
                " per run, found " + std::to_string(dims[1]) + " x " + std::to_string(dims[2]));
  }
  const hsize_t start[3] = {position, 0, 0}, count[3] = {1, a, b};
  Handle file_space(H5Dget_space(ds), H5Sclose, "get the space of " + name);
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr),
        "select a run of " + name);
  Handle memory_space(H5Screate_simple(3, count, nullptr), H5Sclose, "create a run space");
  check(H5Dread(ds, memory, memory_space, file_space, H5P_DEFAULT, out), "read " + name);
}

}  // namespace

std::string batch_digest_of(const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path.c_str()) <= 0) return "";
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return "";
  std::string digest;
  try {
    digest = Reader(path, "batch file").text_attribute(file, "batch_digest");
  } catch (const std::exception&) {
    digest.clear();
  }
  H5Fclose(file);
  return digest;
}

PartFile::PartFile(const std::string& path) : path_(path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const Reader reader(path, "part file");
  if (H5Fis_hdf5(path.c_str()) <= 0) reader.fail("expected a divsim part file, found none");
  file_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file_ < 0) reader.fail("expected a divsim part file, found one HDF5 cannot open");
  try {
    const std::string title = reader.text_attribute(file_, "title");
    if (title.rfind("divsim batch: ", 0) != 0) {
      reader.fail("expected a divsim part file, found " + in_quotes(title));
    }
    if (H5Aexists(file_, "shard") <= 0) {
      reader.fail("expected a part file (written with --shard), found a whole batch file");
    }
    shard_ = reader.text_attribute(file_, "shard");
    batch_file_ = reader.text_attribute(file_, "batch_file");
    digest_ = reader.text_attribute(file_, "batch_digest");
    agents_ = reader.number_attribute<std::int64_t>(file_, "agents", H5T_NATIVE_INT64);
    for (const auto k : reader.numbers<std::int64_t>(file_, "run", 1, H5T_NATIVE_INT64, true)) {
      runs_.push_back(static_cast<std::uint64_t>(k));
    }
  } catch (...) {
    H5Fclose(file_);
    throw;
  }
}

PartFile::~PartFile() {
  if (file_ >= 0) H5Fclose(file_);
}

RunRecord PartFile::read(std::size_t position, const BatchPlan& plan) const {
  const Reader reader(path_, "part file");
  const Scenario& first = plan.scenarios.front();
  const std::size_t nt = static_cast<std::size_t>(first.steps()) + 1;
  RunRecord r;
  r.run = runs_.at(position);
  r.records.assign(nt, StratumCounts{});
  for (auto& rec : r.records) rec.fill(std::numeric_limits<double>::quiet_NaN());
  std::vector<double> slab(nt * kStrata);
  for (const auto& name : plan.variables) {
    int m = 0;
    while (m < kMeasures && kMeasureInfo[m].name != name) ++m;
    reader.require(file_, name, "");
    read_row(file_, name, position, nt, kStrata, H5T_NATIVE_DOUBLE, slab.data(), reader);
    for (std::size_t t = 0; t < nt; ++t) {
      for (int s = 0; s < kStrata; ++s) r.records[t][m * kStrata + s] = slab[t * kStrata + s];
    }
  }
  r.spending.assign(nt * kLedgerUses, 0);
  reader.require(file_, "policy/spending", "");
  read_row(file_, "policy/spending", position, nt, kLedgerUses, H5T_NATIVE_INT64, r.spending.data(),
           reader);
  return r;
}

}  // namespace divsim
