// A small reader for the project's CSV data files: comment lines, quoted fields, line numbers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "divsim/core/error.h"

namespace divsim {

/** One CSV table: a header and rows, each row remembering its line in the file. */
struct CsvTable {
  std::string file;
  std::vector<std::string> header;
  struct Row {
    int line = 0;
    std::vector<std::string> fields;
  };
  std::vector<Row> rows;

  /** Index of a header column; throws InputError naming the file when it is missing. */
  std::size_t column(const std::string& name) const;
};

/**
 * Parses CSV text (RFC 4180 quoting; lines starting with `#` before the header are comments).
 * `file` names the source in error messages.
 */
CsvTable parse_csv(std::string_view text, const std::string& file);

/** Reads and parses a CSV file; a missing file is an InputError. */
CsvTable read_csv_file(const std::string& path);

/** Parses a decimal number from a CSV field, or throws InputError at that row and column. */
double csv_number(const CsvTable& table, const CsvTable::Row& row, std::size_t column);

}  // namespace divsim
