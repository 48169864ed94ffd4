// Reading a history file and interpolating its series between the years it gives.
#include "divsim/scenario/history.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "divsim/core/csv.h"
#include "divsim/core/error.h"
#include "divsim/world/start_targets.h"

namespace divsim {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool is_history_driver(std::string_view name) {
  return starts_with(name, "income.mean_monthly_usd.") ||
         starts_with(name, "economy.data_price_share.") ||
         starts_with(name, "economy.handset_price_usd.");
}

bool is_history_parameter(std::string_view name) {
  return starts_with(name, "start.") || is_history_driver(name);
}

namespace {

/**
 * A start figure the table has no row for (Internet use in upper-middle-income countries, say):
 * a percent of a start indicator, its filter checked when the world is planned.
 */
bool is_extra_figure(std::string_view name) {
  for (std::string_view key : kStartIndicatorKeys) {
    const std::string prefix = "start." + std::string(key) + ".";
    if (starts_with(name, prefix) && name.size() > prefix.size()) return true;
  }
  return false;
}

}  // namespace

History History::parse(std::string_view text, const std::string& file,
                       const ParameterTable& table) {
  const CsvTable csv = parse_csv(text, file);
  const std::size_t c_year = csv.column("year"), c_name = csv.column("parameter"),
                    c_value = csv.column("value"), c_source = csv.column("source");
  History out;
  out.file_ = file;
  std::vector<InputError> errors;
  for (const auto& row : csv.rows) {
    try {
      const std::string& name = row.fields[c_name];
      const ParameterSpec* spec = table.find(name);
      const ParameterSpec percent{name, "percent", 0, 0, 100, "", "", 0};
      if (!spec && is_extra_figure(name)) spec = &percent;
      if (!spec || !is_history_parameter(name)) {
        throw InputError({file, row.line, 0}, "parameter",
                         "expected a start.<indicator>.* figure, income.mean_monthly_usd.*, "
                         "economy.data_price_share.* or economy.handset_price_usd.* parameter of "
                         "the table, found " +
                             in_quotes(name));
      }
      const double year = csv_number(csv, row, c_year);
      if (year != static_cast<int>(year) || year < 1900 || year > 2200) {
        throw InputError({file, row.line, 0}, "year",
                         "expected a year in [1900, 2200], found " + row.fields[c_year]);
      }
      const double value = csv_number(csv, row, c_value);
      if (value < spec->min || value > spec->max) {
        throw InputError({file, row.line, 0}, "value",
                         "expected " + name + " in [" + format_number(spec->min) + ", " +
                             format_number(spec->max) + "], found " + row.fields[c_value]);
      }
      if (row.fields[c_source].empty()) {
        throw InputError({file, row.line, 0}, "source",
                         "expected the source of " + name + ", found nothing");
      }
      auto& points = out.series_[name];
      for (const auto& p : points) {
        if (p.year == static_cast<int>(year)) {
          throw InputError({file, row.line, 0}, "year",
                           "expected each year once for " + name + ", found " + row.fields[c_year] +
                               " again (first at line " + std::to_string(p.line) + ")");
        }
      }
      points.push_back({static_cast<int>(year), value, row.line, row.fields[c_source]});
    } catch (const InputError& e) {
      errors.push_back(e);
    }
  }
  if (!errors.empty()) throw InputErrors(std::move(errors));
  for (auto& [name, points] : out.series_) {
    std::sort(points.begin(), points.end(),
              [](const HistoryPoint& a, const HistoryPoint& b) { return a.year < b.year; });
  }
  return out;
}

History History::load(const std::string& path, const ParameterTable& table) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputErrors({InputError({path, 0, 0}, "", "cannot open file")});
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return parse(text.str(), path, table);
  } catch (const InputError& e) {
    throw InputErrors({e});
  }
}

const std::vector<HistoryPoint>* History::series(std::string_view parameter) const {
  auto it = series_.find(parameter);
  return it == series_.end() ? nullptr : &it->second;
}

std::optional<double> History::value_at(std::string_view parameter, double month) const {
  const auto* points = series(parameter);
  if (!points || points->empty()) return std::nullopt;
  const double first = mid_year_month(points->front().year);
  const double last = mid_year_month(points->back().year);
  if (month < first - 1e-9 || month > last + 1e-9) return std::nullopt;
  for (std::size_t k = 1; k < points->size(); ++k) {
    const double t0 = mid_year_month((*points)[k - 1].year), t1 = mid_year_month((*points)[k].year);
    if (month <= t1) {
      const double w = std::clamp((month - t0) / (t1 - t0), 0.0, 1.0);
      return (1 - w) * (*points)[k - 1].value + w * (*points)[k].value;
    }
  }
  return points->back().value;
}

std::vector<std::pair<std::string, HistoryPoint>> History::rows_of_year(
    int year, std::string_view prefix) const {
  std::vector<std::pair<std::string, HistoryPoint>> out;
  for (const auto& [name, points] : series_) {
    if (!starts_with(name, prefix)) continue;
    for (const auto& p : points) {
      if (p.year == year) out.emplace_back(name, p);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.second.line < b.second.line; });
  return out;
}

}  // namespace divsim
