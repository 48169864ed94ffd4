// Bit-for-bit comparison of the data in two divsim files (run or batch): every dataset, in every
// group, byte for byte. Attributes are provenance and are not compared.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace divsim {

struct DataComparison {
  std::size_t variables = 0;  // datasets of the first file
  /** `path: what differs`, one per dataset that is missing, extra or not bit-identical. */
  std::vector<std::string> differences;
};

/**
 * The root attributes of a divsim file that are text or integers (integers printed), by name: the
 * provenance a file is re-created from. A file that is not HDF5 is an InputError naming it.
 */
std::map<std::string, std::string> read_root_attributes(const std::string& path);

/** Compares every dataset of `a` with the one at the same path in `b`, and lists extra ones. */
DataComparison compare_data(const std::string& a, const std::string& b);

}  // namespace divsim
