// A history file: figures and drivers by year, so that a run can start before 2025 and follow
// what happened to coverage, incomes and prices until the record ends.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "divsim/core/civil_date.h"
#include "divsim/params/parameter_table.h"

namespace divsim {

/** One row of a history file: a parameter's value at 1 July of `year`. */
struct HistoryPoint {
  int year = 0;
  double value = 0;
  int line = 0;
  std::string source;
};

/**
 * The parameters a history file may give: the start figures (`start.*`), read as a start world's
 * figures when a run starts in one of their years and as coverage drivers afterwards, and the
 * economy's drivers (incomes, data and handset prices per income group).
 */
bool is_history_parameter(std::string_view name);

/** True for the economy's drivers among them (`income.mean_monthly_usd.*`, `economy.*`). */
bool is_history_driver(std::string_view name);

class History {
 public:
  History() = default;

  /**
   * Reads `year,parameter,value,tag,source[,note]` rows; every parameter must be one the history
   * may give (see is_history_parameter) and every value within the table's bounds. Throws
   * InputErrors naming the file and line.
   */
  static History load(const std::string& path, const ParameterTable& table);
  static History parse(std::string_view text, const std::string& file, const ParameterTable& table);

  const std::string& file() const noexcept { return file_; }
  bool empty() const noexcept { return series_.empty(); }

  /** A parameter's points, years ascending; null when the file does not give it. */
  const std::vector<HistoryPoint>* series(std::string_view parameter) const;
  const std::map<std::string, std::vector<HistoryPoint>, std::less<>>& all() const noexcept {
    return series_;
  }

  /**
   * The value at `month` (months since year 0, fractional), linear between the 1 July of the
   * years given; nothing before the first or after the last year.
   */
  std::optional<double> value_at(std::string_view parameter, double month) const;

  /** The rows of `year` whose parameter starts with `prefix`, in file order. */
  std::vector<std::pair<std::string, HistoryPoint>> rows_of_year(int year,
                                                                 std::string_view prefix) const;

 private:
  std::string file_;
  std::map<std::string, std::vector<HistoryPoint>, std::less<>> series_;
};

/** A date as months since year 0 (1 July 2005 is 2005 * 12 + 6). */
inline double month_index(const CivilDate& date) {
  return date.year * 12.0 + (date.month - 1) + (date.day - 1) / 30.0;
}

/** The month index of 1 July of `year`, where a history row's value holds. */
inline double mid_year_month(int year) {
  return year * 12.0 + 6;
}

}  // namespace divsim
