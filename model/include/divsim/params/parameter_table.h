// The parameter table: every number the model uses, with unit, bounds and source.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "divsim/core/error.h"

namespace divsim {

/** One row of `calibration/parameters.csv`. */
struct ParameterSpec {
  std::string name;
  std::string unit;
  double default_value = 0;
  double min = 0;
  double max = 0;
  std::string description;
  std::string source;
  int line = 0;  // in the table file
};

/** The table, read once from the copy compiled into the engine. */
class ParameterTable {
 public:
  /** Parses table text; `file` names it in errors. Rows are checked (bounds, source present). */
  static ParameterTable parse(std::string_view csv_text, const std::string& file);

  /** The table built into this engine (from calibration/parameters.csv at build time). */
  static const ParameterTable& builtin();

  const std::vector<ParameterSpec>& specs() const noexcept { return specs_; }
  /** Null when the name is not in the table. */
  const ParameterSpec* find(std::string_view name) const;
  std::size_t index_of(std::string_view name) const;  // throws std::out_of_range
  /** Names that start with `prefix`, in table order. */
  std::vector<std::string> names_with_prefix(std::string_view prefix) const;

  const std::string& text() const noexcept { return text_; }

  /** The table as Markdown, grouped by the first segment of each name. */
  std::string to_markdown() const;

 private:
  std::vector<ParameterSpec> specs_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::string text_;
};

/**
 * Values for every parameter in a table: the defaults, with a scenario's overrides applied.
 */
class ParameterSet {
 public:
  explicit ParameterSet(const ParameterTable& table);

  const ParameterTable& table() const noexcept { return *table_; }
  double get(std::string_view name) const;  // throws std::out_of_range for unknown names
  bool has(std::string_view name) const { return table_->find(name) != nullptr; }

  /** Sets a value; throws InputError at `where` for an unknown name or a value out of bounds. */
  void set(const std::string& name, double value, const SourceLocation& where,
           const std::string& key_path);

  /** Overrides in the order they were set: name and value. */
  const std::vector<std::pair<std::string, double>>& overrides() const noexcept {
    return overrides_;
  }
  /** Where an override was set, or nothing for defaults. */
  const SourceLocation* override_location(std::string_view name) const;

 private:
  const ParameterTable* table_;
  std::vector<double> values_;
  std::vector<std::pair<std::string, double>> overrides_;
  std::map<std::string, SourceLocation, std::less<>> override_where_;
};

/** Formats a number for messages and tables: shortest text that reads back the same. */
std::string format_number(double value);

}  // namespace divsim
