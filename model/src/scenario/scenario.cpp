// The scenario schema: keys, types, ranges and dates, with one precise message per defect.
#include "divsim/scenario/scenario.h"

#include "divsim/output/tally.h"

#include <toml++/toml.h>

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

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::date:
      return "date";
    case toml::node_type::time:
      return "time";
    case toml::node_type::date_time:
      return "date-time";
    case toml::node_type::array:
      return "array";
    case toml::node_type::table:
      return "table";
    default:
      return "nothing";
  }
}

std::string describe(const toml::node& node) {
  std::ostringstream text;
  if (auto s = node.as_string()) return "string " + in_quotes(s->get());
  if (auto i = node.as_integer()) {
    text << i->get();
    return text.str();
  }
  if (auto f = node.as_floating_point()) return format_number(f->get());
  if (auto d = node.as_date()) return to_iso({d->get().year, d->get().month, d->get().day});
  return type_name(node);
}

SourceLocation location_of(const std::string& file, const toml::source_region& region) {
  return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

/** Walks one TOML table, checking its keys and collecting errors. */
class TableReader {
 public:
  TableReader(const std::string& file, const toml::table& table, std::string path,
              std::vector<InputError>& errors)
      : file_(file), table_(table), path_(std::move(path)), errors_(errors) {}

  std::string key_path(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  const toml::node* get(const std::string& key) {
    known_.push_back(key);
    return table_.get(key);
  }

  SourceLocation where(const std::string& key) const {
    if (auto node = table_.get(key)) return location_of(file_, node->source());
    return location_of(file_, table_.source());
  }

  void error(const std::string& key, const std::string& message) {
    errors_.emplace_back(where(key), key_path(key), message);
  }

  void missing(const std::string& key, const std::string& expected) {
    errors_.emplace_back(location_of(file_, table_.source()), key_path(key),
                         "expected " + expected + ", found nothing");
  }

  std::optional<std::string> string(const std::string& key, bool required) {
    const toml::node* node = get(key);
    if (!node) {
      if (required) missing(key, "a string");
      return std::nullopt;
    }
    if (auto s = node->as_string()) return s->get();
    error(key, "expected a string, found " + type_name(*node));
    return std::nullopt;
  }

  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max,
                                      bool required) {
    const toml::node* node = get(key);
    if (!node) {
      if (required) missing(key, "an integer");
      return std::nullopt;
    }
    auto i = node->as_integer();
    if (!i) {
      error(key, "expected an integer, found " + type_name(*node));
      return std::nullopt;
    }
    if (i->get() < min || i->get() > max) {
      error(key, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                     "], found " + std::to_string(i->get()));
      return std::nullopt;
    }
    return i->get();
  }

  std::optional<CivilDate> date(const std::string& key, bool required) {
    const toml::node* node = get(key);
    if (!node) {
      if (required) missing(key, "a date such as 2025-01-01");
      return std::nullopt;
    }
    auto d = node->as_date();
    if (!d) {
      error(key, "expected a date such as 2025-01-01, found " + describe(*node));
      return std::nullopt;
    }
    return CivilDate{d->get().year, d->get().month, d->get().day};
  }

  /** A required file path, resolved against the scenario's folder, that must exist. */
  std::optional<std::string> existing_file(const std::string& key) {
    std::optional<std::string> relative = string(key, true);
    if (!relative) return std::nullopt;
    const fs::path base = fs::path(file_).parent_path();
    const fs::path resolved =
        fs::path(*relative).is_absolute() ? fs::path(*relative) : base / *relative;
    if (!fs::is_regular_file(resolved)) {
      error(key, "expected an existing file, found " + in_quotes(*relative));
      return std::nullopt;
    }
    return resolved.lexically_normal().string();
  }

  /** Reports every key of this table that no reader asked for. */
  void reject_unknown() {
    for (const auto& [key, node] : table_) {
      const std::string name(key.str());
      bool known = false;
      for (const auto& k : known_) known = known || k == name;
      if (!known) {
        std::string list;
        for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
        errors_.emplace_back(location_of(file_, key.source()), key_path(name),
                             "expected one of " + list + ", found unknown key " + in_quotes(name));
      }
    }
  }

  /** A sub-table, or null (with an error when the key holds something else). */
  const toml::table* table(const std::string& key) {
    const toml::node* node = get(key);
    if (!node) return nullptr;
    if (auto t = node->as_table()) return t;
    error(key, "expected a table, found " + type_name(*node));
    return nullptr;
  }

 private:
  const std::string& file_;
  const toml::table& table_;
  std::string path_;
  std::vector<InputError>& errors_;
  std::vector<std::string> known_;
};

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
    read_parameters(path, *t, "", scenario, errors);
  }
  top.reject_unknown();

  if (!errors.empty()) throw InputErrors(std::move(errors));
  return scenario;
}

Scenario load_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path)) {
    throw InputErrors({InputError({path, 0, 0}, "", "expected a scenario file, found none")});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario(text.str(), path);
}

}  // namespace divsim
