// CSV parsing for data files under calibration/.
#include "divsim/core/csv.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace divsim {

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  throw InputError({file, 1, 0}, name,
                   "expected a column named " + in_quotes(name) + ", found none");
}

CsvTable parse_csv(std::string_view text, const std::string& file) {
  CsvTable table;
  table.file = file;
  std::size_t pos = 0;
  int line = 1;
  bool header_done = false;
  while (pos < text.size()) {
    const int row_line = line;
    // Comments are allowed only above the header, where the data files keep their provenance.
    if (!header_done && text[pos] == '#') {
      while (pos < text.size() && text[pos] != '\n') ++pos;
      ++pos;
      ++line;
      continue;
    }
    std::vector<std::string> fields;
    std::string field;
    bool in_quotes = false;
    bool row_end = false;
    while (pos < text.size() && !row_end) {
      const char c = text[pos++];
      if (in_quotes) {
        if (c == '"') {
          if (pos < text.size() && text[pos] == '"') {
            field += '"';
            ++pos;
          } else {
            in_quotes = false;
          }
        } else {
          if (c == '\n') ++line;
          field += c;
        }
      } else if (c == '"') {
        in_quotes = true;
      } else if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
      } else if (c == '\n') {
        row_end = true;
        ++line;
      } else if (c != '\r') {
        field += c;
      }
    }
    if (in_quotes) {
      throw InputError({file, row_line, 0}, "", "expected a closing quote, found end of file");
    }
    fields.push_back(std::move(field));
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (!header_done) {
      table.header = std::move(fields);
      header_done = true;
    } else {
      if (fields.size() != table.header.size()) {
        throw InputError({file, row_line, 0}, "",
                         "expected " + std::to_string(table.header.size()) + " fields, found " +
                             std::to_string(fields.size()));
      }
      table.rows.push_back({row_line, std::move(fields)});
    }
  }
  if (!header_done) throw InputError({file, 1, 0}, "", "expected a header line, found none");
  return table;
}

CsvTable read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_csv(text.str(), path);
}

double csv_number(const CsvTable& table, const CsvTable::Row& row, std::size_t column) {
  const std::string& field = row.fields.at(column);
  double value = 0;
  const char* begin = field.data();
  const char* end = field.data() + field.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || field.empty()) {
    throw InputError({table.file, row.line, 0}, table.header.at(column),
                     "expected a number, found " + in_quotes(field));
  }
  return value;
}

}  // namespace divsim
