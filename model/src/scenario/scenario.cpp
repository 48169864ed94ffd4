// The scenario schema: keys, types, ranges and dates, with one precise message per defect.
#include "divsim/scenario/scenario.h"

#include "divsim/core/csv.h"
#include "divsim/output/tally.h"

#include <toml++/toml.h>

#include "scenario/toml_reader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace divsim {
namespace {

namespace fs = std::filesystem;

using detail::describe;
using detail::location_of;
using detail::TableReader;
using detail::type_name;

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void read_parameters(const std::string& file, const toml::table& table, const std::string& prefix,
                     Scenario& scenario, std::vector<InputError>& errors) {
  for (const auto& [key, node] : table) {
    // `from` and `draw` name a parameter file (read_parameter_file), not a parameter.
    if (prefix.empty() && (key.str() == "from" || key.str() == "draw")) continue;
    const std::string name =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const std::string path = "parameters." + name;
    if (auto sub = node.as_table()) {
      read_parameters(file, *sub, name, scenario, errors);
      continue;
    }
    const SourceLocation where = location_of(file, node.source());
    std::optional<double> value;
    if (auto f = node.as_floating_point()) value = f->get();
    if (auto i = node.as_integer()) value = static_cast<double>(i->get());
    if (!scenario.parameters.has(name)) {
      errors.emplace_back(
          location_of(file, key.source()), path,
          "expected a parameter from the table (see divsim params), found " + in_quotes(name));
      continue;
    }
    if (!value) {
      errors.emplace_back(where, path, "expected a number, found " + type_name(node));
      continue;
    }
    try {
      scenario.parameters.set(name, *value, where, path);
    } catch (const InputError& e) {
      errors.push_back(e);
    }
  }
}

/**
 * Values from a parameter file, read before the scenario's own [parameters]: a calibrated file
 * (TOML with a [parameters] table, as `divsim calibrate` writes) or one draw of an ensemble (CSV
 * with a `draw` column and one column per parameter, as the calibration's posterior sample).
 */
void read_parameter_file(const std::string& path, const toml::table& table, Scenario& scenario,
                         std::vector<InputError>& errors) {
  TableReader r(path, table, "parameters", errors);
  auto file = r.existing_file("from");
  const bool has_draw = table.get("draw") != nullptr;
  std::optional<std::int64_t> draw;
  if (has_draw) draw = r.integer("draw", 0, 1'000'000'000, false);
  if (!file) return;
  scenario.parameter_files.push_back(*file);
  const bool ensemble = fs::path(*file).extension() == ".csv";
  if (ensemble != has_draw) {
    r.error(has_draw ? "draw" : "from",
            ensemble ? "expected a draw number with an ensemble (.csv) file, found none"
                     : "expected no draw with a calibrated (.toml) file, found one");
    return;
  }
  if (!ensemble) {
    toml::table root;
    try {
      root = toml::parse_file(*file);
    } catch (const toml::parse_error& e) {
      errors.emplace_back(location_of(*file, e.source()), "",
                          "expected valid TOML, found " + std::string(e.description()));
      return;
    }
    for (const auto& [key, node] : root) {
      if (key.str() == "calibration") continue;  // provenance, for people
      if (key.str() != "parameters" || !node.as_table()) {
        errors.emplace_back(
            location_of(*file, key.source()), std::string(key.str()),
            "expected [parameters] or [calibration], found " + in_quotes(std::string(key.str())));
        continue;
      }
      const toml::table& values = *node.as_table();
      if (values.contains("from") || values.contains("draw")) {
        errors.emplace_back(location_of(*file, values.source()), "parameters",
                            "expected parameter values, found a nested parameter file");
        continue;
      }
      read_parameters(*file, values, "", scenario, errors);
    }
    return;
  }
  if (!draw) return;
  try {
    const CsvTable csv = read_csv_file(*file);
    const std::size_t c_draw = csv.column("draw");
    for (const auto& row : csv.rows) {
      if (csv_number(csv, row, c_draw) != static_cast<double>(*draw)) continue;
      for (std::size_t c = 0; c < csv.header.size(); ++c) {
        // The replicate the sampler ran a draw with is provenance, not a parameter.
        if (c == c_draw || csv.header[c] == "weight" || csv.header[c] == "replicate") continue;
        const std::string& name = csv.header[c];
        scenario.parameters.set(name, csv_number(csv, row, c), {*file, row.line, 0},
                                "parameters." + name);
      }
      return;
    }
    r.error("draw", "expected a draw of " + *file + ", found " + std::to_string(*draw) +
                        " (it has " + std::to_string(csv.rows.size()) + ")");
  } catch (const InputError& e) {
    errors.push_back(e);
  }
}

/**
 * The history's drivers (incomes, prices) at the start date become the parameters' values; a
 * value the scenario also sets would be ambiguous.
 */
void apply_history(Scenario& scenario, std::vector<InputError>& errors) {
  const double start = month_index(scenario.start);
  if (!scenario.history.rows_of_year(scenario.start.year, "start.").empty()) {
    for (const auto& [name, value] : scenario.parameters.overrides()) {
      if (name.rfind("start.", 0) != 0) continue;
      errors.emplace_back(*scenario.parameters.override_location(name), "parameters." + name,
                          "expected no start figure: " + scenario.history_file +
                              " gives the figures of " + std::to_string(scenario.start.year) +
                              ", found one");
    }
  }
  for (const auto& [name, points] : scenario.history.all()) {
    if (!is_history_driver(name)) continue;
    if (const SourceLocation* set = scenario.parameters.override_location(name)) {
      errors.emplace_back(*set, "parameters." + name,
                          "expected no value: " + scenario.history_file + " gives " + name +
                              " year by year, found one");
      continue;
    }
    const auto value = scenario.history.value_at(name, start);
    if (!value) {
      errors.emplace_back(SourceLocation{scenario.history_file, points.front().line, 0}, name,
                          "expected a value at the start date " + to_iso(scenario.start) +
                              ", found years " + std::to_string(points.front().year) + " to " +
                              std::to_string(points.back().year));
      continue;
    }
    scenario.parameters.set(name, *value, {scenario.history_file, points.front().line, 0}, name);
  }
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + std::string(item);
  return out;
}

/** Reads one target dimension: an array of labels, each matched against `labels` or `keys`. */
template <std::size_t N>
void read_target_set(TableReader& r, const std::string& key,
                     const std::array<std::string_view, N>& labels,
                     const std::array<std::string_view, N>* keys, std::array<bool, N>& out,
                     std::vector<InputError>& errors, const std::string& file) {
  const toml::node* node = r.get(key);
  if (!node) return;
  const toml::array* list = node->as_array();
  std::vector<std::string_view> known(labels.begin(), labels.end());
  if (!list || list->empty()) {
    r.error(key, "expected a non-empty array of " + join(known) + ", found " +
                     (list ? std::string("an empty array") : type_name(*node)));
    return;
  }
  out.fill(false);
  for (const auto& item : *list) {
    const auto name = item.value<std::string>();
    bool matched = false;
    for (std::size_t k = 0; k < N && name; ++k) {
      if (labels[k] == *name || (keys && (*keys)[k] == *name)) out[k] = matched = true;
    }
    if (!matched) {
      errors.emplace_back(location_of(file, item.source()), r.key_path(key),
                          "expected one of " + join(known) + ", found " + describe(item));
    }
  }
}

void read_target(const std::string& file, const toml::table& table, const std::string& path,
                 const InterventionTypeInfo& type, InterventionSpec& spec,
                 std::vector<InputError>& errors) {
  TableReader r(file, table, path, errors);
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const bool allowed =
        std::find(type.target_keys.begin(), type.target_keys.end(), key) != type.target_keys.end();
    const bool dimension = key == "income_group" || key == "area" || key == "sex" ||
                           key == "age_band" || key == "disability" || key == "regions";
    if (dimension && !allowed) {
      errors.emplace_back(
          location_of(file, k.source()), path + "." + key,
          "expected one of " +
              (type.target_keys.empty() ? std::string("no target keys") : join(type.target_keys)) +
              " (what a " + std::string(type.name) + " can act on), found " + key);
      continue;
    }
    if (dimension) spec.target.given.push_back(key);
  }
  read_target_set(r, "income_group", kIncomeGroupLabels, &kIncomeGroupKeys,
                  spec.target.income_group, errors, file);
  read_target_set(r, "area", kAreaLabels, &kAreaLabels, spec.target.area, errors, file);
  read_target_set(r, "sex", kSexLabels, &kSexLabels, spec.target.sex, errors, file);
  read_target_set(r, "age_band", kAgeBandLabels, &kAgeBandKeys, spec.target.age_band, errors, file);
  read_target_set(r, "disability", kDisabilityLabels, &kDisabilityLabels, spec.target.disability,
                  errors, file);
  if (const toml::node* node = r.get("regions")) {
    const toml::array* list = node->as_array();
    if (!list || list->empty()) {
      r.error("regions", "expected a non-empty array of region names, found " +
                             (list ? std::string("an empty array") : type_name(*node)));
    } else {
      spec.target.where_regions = r.where("regions");
      for (const auto& item : *list) {
        if (auto name = item.value<std::string>()) {
          spec.target.regions.push_back(*name);
        } else {
          errors.emplace_back(location_of(file, item.source()), path + ".regions",
                              "expected a region name, found " + describe(item));
        }
      }
    }
  }
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const bool dimension = key == "income_group" || key == "area" || key == "sex" ||
                           key == "age_band" || key == "disability" || key == "regions";
    if (!dimension) {
      errors.emplace_back(
          location_of(file, k.source()), path + "." + key,
          "expected one of " + join(type.target_keys) + ", found unknown key " + in_quotes(key));
    }
  }
}

/** Numeric settings, flattened (`start_share.low_income`), checked against the table's rows. */
void read_numbers(const std::string& file, const toml::table& table, const std::string& prefix,
                  const std::string& path, const std::vector<std::string>& parameters,
                  const ParameterSet& defaults, InterventionSpec& spec,
                  std::vector<InputError>& errors) {
  for (const auto& [k, node] : table) {
    const std::string key =
        prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (prefix.empty() && (key == "type" || key == "name" || key == "start" || key == "end" ||
                           key == "funding" || key == "target")) {
      continue;
    }
    if (prefix.empty() && std::any_of(spec.choices.begin(), spec.choices.end(),
                                      [&](const auto& c) { return c.first == key; })) {
      continue;
    }
    if (auto sub = node.as_table()) {
      read_numbers(file, *sub, key, path, parameters, defaults, spec, errors);
      continue;
    }
    std::string parameter;
    std::vector<std::string> known;
    for (const auto& name : parameters) {
      const std::string suffix = name.substr(name.find('.', name.find('.') + 1) + 1);
      known.push_back(suffix);
      if (suffix == key) parameter = name;
    }
    const SourceLocation where = location_of(file, k.source());
    if (parameter.empty()) {
      std::string list = "type, name, start, end, target";
      if (!spec.funding.empty() || std::find(known.begin(), known.end(), "share") != known.end())
        list += ", funding";
      for (const auto& c : spec.choices) list += ", " + c.first;
      for (const auto& name : known) list += ", " + name;
      errors.emplace_back(where, path + "." + key,
                          "expected one of " + list + ", found unknown key " + in_quotes(key));
      continue;
    }
    std::optional<double> value;
    if (auto f = node.as_floating_point()) value = f->get();
    if (auto i = node.as_integer()) value = static_cast<double>(i->get());
    if (!value) {
      errors.emplace_back(location_of(file, node.source()), path + "." + key,
                          "expected a number, found " + type_name(node));
      continue;
    }
    ParameterSet check = defaults;
    try {
      check.set(parameter, *value, location_of(file, node.source()), path + "." + key);
    } catch (const InputError& e) {
      errors.push_back(e);
      continue;
    }
    spec.numbers.push_back({key, parameter, *value, location_of(file, node.source())});
  }
}

void read_interventions(const std::string& file, const toml::node& node, Scenario& scenario,
                        std::vector<InputError>& errors) {
  const toml::array* list = node.as_array();
  if (!list) {
    errors.emplace_back(
        location_of(file, node.source()), "interventions",
        "expected an array of tables ([[interventions]]), found " + type_name(node));
    return;
  }
  std::vector<std::string_view> type_names;
  for (const auto& t : intervention_types()) type_names.push_back(t.name);
  for (std::size_t index = 0; index < list->size(); ++index) {
    const toml::node& item = *list->get(index);
    const toml::table* table = item.as_table();
    const std::string path = "interventions[" + std::to_string(index) + "]";
    if (!table) {
      errors.emplace_back(location_of(file, item.source()), path,
                          "expected a table, found " + type_name(item));
      continue;
    }
    TableReader r(file, *table, path, errors);
    InterventionSpec spec;
    spec.where = location_of(file, table->source());
    const auto type_text = r.string("type", true);
    const InterventionTypeInfo* type = type_text ? find_intervention_type(*type_text) : nullptr;
    if (type_text && !type) {
      r.error("type", "expected one of " + join(type_names) + ", found unknown type " +
                          in_quotes(*type_text));
    }
    if (auto name = r.string("name", true)) {
      if (!valid_name(*name)) {
        r.error("name", "expected lowercase letters, digits, '_' or '-' (at most 64), found " +
                            in_quotes(*name));
      } else if (std::any_of(scenario.interventions.begin(), scenario.interventions.end(),
                             [&](const InterventionSpec& s) { return s.name == *name; })) {
        r.error("name",
                "expected a name no other intervention has, found " + in_quotes(*name) + " again");
      } else {
        spec.name = *name;
      }
    }
    const auto start = r.date("start", true);
    const auto end = r.date("end", true);
    if (start) spec.start = *start;
    if (end) spec.end = *end;
    if (start && end && !(*start < *end)) {
      r.error("end", "expected a date after start (" + to_iso(*start) + "), found " + to_iso(*end));
    }
    if (!type) continue;
    const bool programme = type->role == InterventionRole::programme;
    if (programme) {
      if (auto funding = r.string("funding", true)) spec.funding = *funding;
    } else if (r.get("funding")) {
      r.error("funding", "expected no funding for a " + std::string(type->name) +
                             " (it is a source of money), found one");
    }
    for (const auto& choice : type->choices) {
      std::string value(choice.values.front());
      if (auto given = r.string(std::string(choice.key), false)) {
        std::vector<std::string_view> values(choice.values.begin(), choice.values.end());
        if (std::find(values.begin(), values.end(), *given) == values.end()) {
          r.error(std::string(choice.key),
                  "expected one of " + join(values) + ", found " + in_quotes(*given));
        } else {
          value = *given;
        }
      }
      spec.choices.emplace_back(std::string(choice.key), value);
    }
    spec.type = std::string(type->name);
    if (const toml::table* target = r.table("target")) {
      if (type->target_keys.empty()) {
        r.error("target", "expected no target for a " + std::string(type->name) +
                              " (the programmes it funds have targets), found one");
      } else {
        read_target(file, *target, path + ".target", *type, spec, errors);
      }
    }
    const std::vector<std::string> parameters = intervention_parameters(*type);
    read_numbers(file, *table, "", path, parameters, scenario.parameters, spec, errors);
    // Every setting the type reads: the entry's value, else the scenario's [parameters] value.
    for (const auto& name : parameters) {
      const std::string suffix = name.substr(name.find('.', name.find('.') + 1) + 1);
      if (std::none_of(spec.numbers.begin(), spec.numbers.end(),
                       [&](const InterventionNumber& n) { return n.key == suffix; })) {
        spec.numbers.push_back({suffix, name, scenario.parameters.get(name), spec.where});
      }
    }
    if (programme) {
      // One of the two, whether written here or set for every entry in [parameters].
      auto setting = [&](const std::string& key) -> InterventionNumber& {
        return *std::find_if(spec.numbers.begin(), spec.numbers.end(),
                             [&](const InterventionNumber& n) { return n.key == key; });
      };
      const bool wrote_share = r.get("share") != nullptr;
      const bool wrote_budget = r.get("budget_musd_per_year") != nullptr;
      if (wrote_share && wrote_budget) {
        r.error("share", "expected share or budget_musd_per_year, found both");
      } else if (wrote_share) {
        setting("budget_musd_per_year").value = 0;
      } else if (wrote_budget) {
        setting("share").value = 0;
      } else if (spec.number("share") > 0 && spec.number("budget_musd_per_year") > 0) {
        errors.emplace_back(spec.where, path,
                            "expected budget_musd_per_year or share, found both in [parameters]");
      } else if (!(spec.number("share") > 0) && !(spec.number("budget_musd_per_year") > 0)) {
        errors.emplace_back(spec.where, path,
                            "expected budget_musd_per_year or share, found neither");
      }
    }
    if (type->check) {
      if (auto [key, message] = type->check(spec); !message.empty()) {
        errors.emplace_back(spec.where, path + "." + key, message);
      }
    }
    scenario.interventions.push_back(std::move(spec));
  }
  // Programmes draw on funds of the same scenario; a fund's shares cannot exceed all its money.
  std::map<std::string, double> shares;
  std::vector<std::string> funds;
  for (const auto& s : scenario.interventions) {
    const InterventionTypeInfo* type = find_intervention_type(s.type);
    if (type && type->role == InterventionRole::fund) funds.push_back(s.name);
  }
  for (std::size_t k = 0; k < scenario.interventions.size(); ++k) {
    const InterventionSpec& s = scenario.interventions[k];
    if (s.funding.empty() || s.name.empty()) continue;
    const std::string path = "interventions[" + std::to_string(k) + "].funding";
    if (std::find(funds.begin(), funds.end(), s.funding) == funds.end()) {
      std::string list;
      for (const auto& f : funds) list += (list.empty() ? "" : ", ") + f;
      errors.emplace_back(s.where, path,
                          "expected the name of a universal_service_fund or financing entry" +
                              (list.empty() ? std::string(" (there is none)") : " (" + list + ")") +
                              ", found " + in_quotes(s.funding));
      continue;
    }
    shares[s.funding] += s.number("share");
    if (shares[s.funding] > 1 + 1e-12) {
      errors.emplace_back(s.where, "interventions[" + std::to_string(k) + "].share",
                          "expected the shares of fund " + s.funding +
                              " to sum to at most 1, found " + format_number(shares[s.funding]));
    }
  }
}

}  // namespace

Scenario parse_scenario(const std::string& text, const std::string& path) {
  if (text.size() > kMaxScenarioBytes) {
    throw InputErrors({InputError(
        {path, 0, 0}, "",
        "expected a scenario of at most 1 MiB, found " + std::to_string(text.size()) + " bytes")});
  }
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    if (!what.empty())
      what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    throw InputErrors(
        {InputError(location_of(path, e.source()), "toml", "expected valid TOML, found " + what)});
  }

  Scenario scenario;
  scenario.file = path;
  scenario.text = text;
  std::vector<InputError> errors;
  TableReader top(path, root, "", errors);

  if (const toml::table* t = top.table("scenario")) {
    TableReader r(path, *t, "scenario", errors);
    if (auto name = r.string("name", true)) {
      if (valid_name(*name)) {
        scenario.name = *name;
      } else {
        r.error("name", "expected lowercase letters, digits, '_' or '-' (at most 64), found " +
                            in_quotes(*name));
      }
    }
    if (auto d = r.string("description", false)) scenario.description = *d;
    r.reject_unknown();
  } else if (!root.get("scenario")) {
    top.missing("scenario", "a [scenario] table with a name");
  }

  if (const toml::table* t = top.table("time")) {
    TableReader r(path, *t, "time", errors);
    auto start = r.date("start", true);
    auto end = r.date("end", true);
    if (start) {
      scenario.where_start = r.where("start");
      if (start->day != 1) {
        r.error("start",
                "expected the first day of a month (steps are monthly), found " + to_iso(*start));
        start.reset();
      } else {
        scenario.start = *start;
      }
    }
    if (end) {
      if (start && *end <= *start) {
        r.error("end",
                "expected a date after time.start (" + to_iso(*start) + "), found " + to_iso(*end));
      } else if (start && months_between(*start, *end) + 1 > 12 * 200) {
        r.error("end", "expected at most 200 years after time.start, found " + to_iso(*end));
      } else {
        scenario.end = *end;
      }
    }
    r.reject_unknown();
  } else if (!root.get("time")) {
    top.missing("time", "a [time] table with start and end dates");
  }

  if (const toml::table* t = top.table("world")) {
    TableReader r(path, *t, "world", errors);
    if (auto n = r.integer("agents", 1, kMaxAgents, true)) scenario.agents = *n;
    scenario.where_regions = r.where("regions");
    scenario.where_population = r.where("population");
    if (auto f = r.existing_file("regions")) scenario.regions_file = *f;
    if (auto f = r.existing_file("population")) scenario.population_file = *f;
    if (t->get("history")) {
      scenario.where_history = r.where("history");
      if (auto f = r.existing_file("history")) scenario.history_file = *f;
    }
    r.reject_unknown();
  } else if (!root.get("world")) {
    top.missing("world", "a [world] table with agents");
  }

  if (const toml::table* t = top.table("run")) {
    TableReader r(path, *t, "run", errors);
    if (auto s = r.integer("seed", 0, std::numeric_limits<std::int64_t>::max(), false)) {
      scenario.seed = static_cast<std::uint64_t>(*s);
    }
    if (auto s = r.integer("replicate", 0, 1'000'000'000, false)) {
      scenario.replicate = static_cast<std::uint64_t>(*s);
    }
    r.reject_unknown();
  }

  if (const toml::table* t = top.table("output")) {
    TableReader r(path, *t, "output", errors);
    if (const toml::node* node = r.get("milestones")) {
      const toml::array* list = node->as_array();
      if (!list) {
        r.error("milestones", "expected an array of years, found " + type_name(*node));
      } else {
        scenario.milestones.clear();
        for (const auto& item : *list) {
          auto year = item.as_integer();
          if (!year || year->get() < 1900 || year->get() > 2200) {
            errors.emplace_back(location_of(path, item.source()), "output.milestones",
                                "expected a year in [1900, 2200], found " + describe(item));
            continue;
          }
          const int y = static_cast<int>(year->get());
          if (std::find(scenario.milestones.begin(), scenario.milestones.end(), y) !=
              scenario.milestones.end()) {
            errors.emplace_back(location_of(path, item.source()), "output.milestones",
                                "expected each year once, found " + std::to_string(y) + " again");
            continue;
          }
          scenario.milestones.push_back(y);
        }
      }
    }
    if (const toml::node* node = r.get("variables")) {
      const toml::array* list = node->as_array();
      if (!list || list->empty()) {
        r.error("variables", "expected a non-empty array of variable names, found " +
                                 (list ? std::string("an empty array") : type_name(*node)));
      } else {
        std::string known;
        for (const auto& m : kMeasureInfo)
          known += (known.empty() ? "" : ", ") + std::string(m.name);
        for (const auto& item : *list) {
          const auto name = item.value<std::string>();
          const bool is_known =
              name && std::any_of(kMeasureInfo.begin(), kMeasureInfo.end(),
                                  [&](const MeasureInfo& m) { return m.name == *name; });
          if (!is_known) {
            errors.emplace_back(location_of(path, item.source()), "output.variables",
                                "expected one of " + known + "; found " + describe(item));
          } else if (std::find(scenario.variables.begin(), scenario.variables.end(), *name) !=
                     scenario.variables.end()) {
            errors.emplace_back(
                location_of(path, item.source()), "output.variables",
                "expected each variable once, found " + in_quotes(*name) + " again");
          } else {
            scenario.variables.push_back(*name);
          }
        }
      }
    }
    r.reject_unknown();
  }

  if (const toml::table* t = top.table("parameters")) {
    if (t->get("from") || t->get("draw")) read_parameter_file(path, *t, scenario, errors);
    read_parameters(path, *t, "", scenario, errors);
  }
  if (!scenario.history_file.empty()) {
    try {
      scenario.history = History::load(scenario.history_file, scenario.parameters.table());
      apply_history(scenario, errors);
    } catch (const InputErrors& e) {
      errors.insert(errors.end(), e.errors().begin(), e.errors().end());
    }
  }
  if (const toml::node* node = top.get("interventions")) {
    read_interventions(path, *node, scenario, errors);
  }
  top.reject_unknown();

  if (!errors.empty()) throw InputErrors(std::move(errors));
  return scenario;
}

Scenario load_scenario(const std::string& path) {
  return parse_scenario(detail::read_input_file(path, "a scenario file"), path);
}

}  // namespace divsim
