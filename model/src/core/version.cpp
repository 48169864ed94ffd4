// Build and dependency versions, recorded in every output's provenance.
#include "divsim/core/version.h"

#include <hdf5.h>

#include <oneapi/tbb/version.h>
#include <toml++/toml.h>
#include <Eigen/Core>
#include <boost/version.hpp>
#include <ctime>

namespace divsim {
namespace detail {
extern const char* const kGitCommit;
}

std::string engine_version() {
  return DIVSIM_VERSION;
}

std::string git_commit() {
  return detail::kGitCommit;
}

std::string dependency_versions() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  std::string text;
  text += "HDF5 " + std::to_string(major) + "." + std::to_string(minor) + "." +
          std::to_string(release) + "\n";
  text += std::string("oneTBB ") + TBB_runtime_version() + "\n";
  text += "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." +
          std::to_string(EIGEN_MAJOR_VERSION) + "." + std::to_string(EIGEN_MINOR_VERSION) + "\n";
  text += "Boost " + std::to_string(BOOST_VERSION / 100000) + "." +
          std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100) +
          "\n";
  text += "toml++ " + std::to_string(TOML_LIB_MAJOR) + "." + std::to_string(TOML_LIB_MINOR) + "." +
          std::to_string(TOML_LIB_PATCH) + "\n";
  text += "Random123 (Philox4x64-10)\n";
  text += std::string("compiler ") + __VERSION__;
  return text;
}

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace divsim
