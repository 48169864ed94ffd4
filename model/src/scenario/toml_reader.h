// Reading TOML tables key by key, collecting one precise error per defect (scenarios and
// calibration configurations share it).
#pragma once

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "divsim/core/civil_date.h"
#include "divsim/core/error.h"
#include "divsim/params/parameter_table.h"

namespace divsim::detail {

namespace fs = std::filesystem;

inline std::string type_name(const toml::node& node) {
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

inline std::string describe(const toml::node& node) {
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

inline SourceLocation location_of(const std::string& file, const toml::source_region& region) {
  return {file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

/**
 * The exact bytes of an input file; a missing file (or a folder) is an InputErrors naming it as
 * `expected WHAT, found none`.
 */
inline std::string read_input_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path)) {
    throw InputErrors({InputError({path, 0, 0}, "", "expected " + what + ", found none")});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
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

  std::optional<double> number(const std::string& key, double min, double max, bool required) {
    const toml::node* node = get(key);
    if (!node) {
      if (required) missing(key, "a number");
      return std::nullopt;
    }
    std::optional<double> value;
    if (auto f = node->as_floating_point()) value = f->get();
    if (auto i = node->as_integer()) value = static_cast<double>(i->get());
    if (!value) {
      error(key, "expected a number, found " + type_name(*node));
      return std::nullopt;
    }
    if (!(*value >= min && *value <= max)) {
      error(key, "expected a number in [" + format_number(min) + ", " + format_number(max) +
                     "], found " + format_number(*value));
      return std::nullopt;
    }
    return value;
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

}  // namespace divsim::detail
