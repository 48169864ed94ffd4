// What this build of divsim is: version, commit, and the versions of its libraries.
#pragma once

#include <string>

namespace divsim {

/** The engine's semantic version, e.g. `0.1.0`. */
std::string engine_version();

/** The git commit the engine was built from (`-dirty` when the tree had changes). */
std::string git_commit();

/** One line per dependency with its version, e.g. `HDF5 1.10.8`. */
std::string dependency_versions();

/** Now in UTC, ISO 8601 to the second (`2026-01-31T12:00:00Z`), for a file's `created`. */
std::string utc_timestamp();

}  // namespace divsim
