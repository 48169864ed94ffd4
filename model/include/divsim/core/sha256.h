// SHA-256 of text, for provenance (scenario and parameter-table fingerprints).
#pragma once

#include <string>
#include <string_view>

namespace divsim {

/** Lowercase hexadecimal SHA-256 digest of `data` (FIPS 180-4). */
std::string sha256_hex(std::string_view data);

/** The digest of a file's bytes; that of no bytes when it cannot be read. */
std::string file_sha256(const std::string& path);

}  // namespace divsim
