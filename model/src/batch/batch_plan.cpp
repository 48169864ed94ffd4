// Reading a batch file: its scenarios, draws and replicates, checked before anything runs.
#include "divsim/batch/batch_plan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "divsim/core/csv.h"
#include "divsim/core/random.h"
#include "divsim/core/sha256.h"
#include "divsim/core/version.h"
#include "divsim/output/tally.h"
#include "scenario/toml_reader.h"

namespace divsim {
namespace {

namespace fs = std::filesystem;
using detail::describe;
using detail::location_of;
using detail::TableReader;
using detail::type_name;

std::string resolve(const std::string& batch_file, const std::string& relative) {
  const fs::path p(relative);
  return (p.is_absolute() ? p : fs::path(batch_file).parent_path() / p).lexically_normal().string();
}

/** A list of strings; an error for anything else. */
std::vector<std::pair<std::string, SourceLocation>> string_list(const std::string& file,
                                                                const toml::node& node,
                                                                const std::string& key,
                                                                std::vector<InputError>& errors) {
  std::vector<std::pair<std::string, SourceLocation>> out;
  const toml::array* list = node.as_array();
  if (!list || list->empty()) {
    errors.emplace_back(location_of(file, node.source()), key,
                        "expected a non-empty list of strings, found " +
                            (list ? std::string("an empty list") : type_name(node)));
    return out;
  }
  for (const auto& item : *list) {
    if (auto s = item.value<std::string>()) {
      out.emplace_back(*s, location_of(file, item.source()));
    } else {
      errors.emplace_back(location_of(file, item.source()), key,
                          "expected a string, found " + describe(item));
    }
  }
  return out;
}

/** Numbers of a list (integers allowed); an error for anything else. */
std::optional<std::vector<double>> number_list(const std::string& file, const toml::node& node,
                                               const std::string& key,
                                               std::vector<InputError>& errors) {
  const toml::array* list = node.as_array();
  if (!list || list->empty()) {
    errors.emplace_back(location_of(file, node.source()), key,
                        "expected a non-empty list of numbers, found " +
                            (list ? std::string("an empty list") : type_name(node)));
    return std::nullopt;
  }
  std::vector<double> out;
  for (const auto& item : *list) {
    if (auto f = item.as_floating_point()) {
      out.push_back(f->get());
    } else if (auto i = item.as_integer()) {
      out.push_back(static_cast<double>(i->get()));
    } else {
      errors.emplace_back(location_of(file, item.source()), key,
                          "expected a number, found " + describe(item));
      return std::nullopt;
    }
  }
  return out;
}

/** Draws of the calibration ensemble: `from` and either `count` or `draws`. */
void read_ensemble(const std::string& path, const toml::table& table, BatchPlan& plan,
                   std::vector<InputError>& errors) {
  TableReader r(path, table, "draws", errors);
  auto file = r.existing_file("from");
  auto count = r.integer("count", 1, 1'000'000, false);
  std::vector<std::int64_t> chosen;
  const SourceLocation chosen_where = r.where("draws");
  if (const toml::node* node = r.get("draws")) {
    const toml::array* list = node->as_array();
    if (!list || list->empty()) {
      r.error("draws", "expected a non-empty list of draw numbers, found " +
                           (list ? std::string("an empty list") : type_name(*node)));
    } else {
      for (const auto& item : *list) {
        auto i = item.as_integer();
        if (!i || i->get() < 0) {
          errors.emplace_back(location_of(path, item.source()), "draws.draws",
                              "expected a draw number (an integer >= 0), found " + describe(item));
        } else if (std::find(chosen.begin(), chosen.end(), i->get()) != chosen.end()) {
          errors.emplace_back(
              location_of(path, item.source()), "draws.draws",
              "expected each draw once, found " + std::to_string(i->get()) + " again");
        } else {
          chosen.push_back(i->get());
        }
      }
    }
  }
  if (count && !chosen.empty()) r.error("count", "expected count or draws, found both");
  if (!count && chosen.empty() && !r.get("draws")) {
    r.missing("count", "the number of draws to run (count) or their numbers (draws)");
  }
  r.reject_unknown();
  if (!file) return;
  plan.draw_method = "ensemble";
  plan.draw_file = *file;
  try {
    const CsvTable csv = read_csv_file(*file);
    const std::size_t c_draw = csv.column("draw");
    std::vector<std::size_t> columns;
    for (std::size_t c = 0; c < csv.header.size(); ++c) {
      // The replicate a sampler ran a draw with, and its weight, are provenance.
      if (c == c_draw || csv.header[c] == "weight" || csv.header[c] == "replicate") continue;
      if (!ParameterTable::builtin().find(csv.header[c])) {
        errors.emplace_back(SourceLocation{*file, 1, 0}, csv.header[c],
                            "expected a parameter from the table (see divsim params), found " +
                                in_quotes(csv.header[c]));
        continue;
      }
      columns.push_back(c);
      plan.parameter_names.push_back(csv.header[c]);
    }
    auto take = [&](const CsvTable::Row& row) {
      ParameterDraw d;
      d.number = static_cast<std::int64_t>(csv_number(csv, row, c_draw));
      d.where = {*file, row.line, 0};
      for (const std::size_t c : columns) d.values.push_back(csv_number(csv, row, c));
      plan.draws.push_back(std::move(d));
    };
    if (count) {
      if (static_cast<std::size_t>(*count) > csv.rows.size()) {
        r.error("count", "expected at most the " + std::to_string(csv.rows.size()) + " draws of " +
                             *file + ", found " + std::to_string(*count));
        return;
      }
      for (std::int64_t k = 0; k < *count; ++k) take(csv.rows[static_cast<std::size_t>(k)]);
    }
    for (const std::int64_t wanted : chosen) {
      bool found = false;
      for (const auto& row : csv.rows) {
        if (csv_number(csv, row, c_draw) != static_cast<double>(wanted)) continue;
        take(row);
        found = true;
        break;
      }
      if (!found) {
        errors.emplace_back(chosen_where, "draws.draws",
                            "expected draws of " + *file + ", found " + std::to_string(wanted) +
                                ", which it does not have");
      }
    }
  } catch (const InputError& e) {
    errors.push_back(e);
  }
}

/** A Latin hypercube or a full grid over named parameters. */
void read_design(const std::string& path, const toml::table& table, const std::string& method,
                 BatchPlan& plan, std::vector<InputError>& errors) {
  TableReader r(path, table, "draws", errors);
  r.get("method");
  const bool lhs = method == "latin_hypercube";
  std::optional<std::int64_t> samples, seed;
  if (lhs) {
    samples = r.integer("samples", 1, 1'000'000, true);
    seed = r.integer("seed", 0, std::numeric_limits<std::int64_t>::max(), true);
  }
  const toml::table* parameters = r.table("parameters");
  if (!parameters && !r.get("parameters")) r.missing("parameters", "a [draws.parameters] table");
  r.reject_unknown();
  if (!parameters) return;
  plan.draw_method = method;
  std::vector<std::vector<double>> values;  // per parameter: [low, high] or the grid's values
  for (const auto& [key, node] : *parameters) {
    const std::string name(key.str());
    const std::string key_path = "draws.parameters." + name;
    const SourceLocation where = location_of(path, node.source());
    const ParameterSpec* spec = ParameterTable::builtin().find(name);
    if (!spec) {
      errors.emplace_back(
          where, key_path,
          "expected a parameter from the table (see divsim params), found " + in_quotes(name));
      continue;
    }
    auto list = number_list(path, node, key_path, errors);
    if (!list) continue;
    bool ok = true;
    for (const double v : *list) {
      if (!(v >= spec->min && v <= spec->max)) {
        errors.emplace_back(where, key_path,
                            "expected values in [" + format_number(spec->min) + ", " +
                                format_number(spec->max) + "], found " + format_number(v));
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (lhs && (list->size() != 2 || !((*list)[0] < (*list)[1]))) {
      errors.emplace_back(where, key_path,
                          "expected [low, high] with low < high, found " +
                              std::to_string(list->size()) + " values");
      continue;
    }
    plan.parameter_names.push_back(name);
    values.push_back(*list);
  }
  if (values.empty() || values.size() != plan.parameter_names.size()) return;
  const std::size_t n = values.size();
  const SourceLocation where = location_of(path, parameters->source());
  if (lhs) {
    const auto m = static_cast<std::size_t>(*samples);
    const RandomKey key{static_cast<std::uint64_t>(*seed), 0};
    plan.draws.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
      plan.draws[k].number = static_cast<std::int64_t>(k);
      plan.draws[k].where = where;
      plan.draws[k].values.resize(n);
    }
    for (std::size_t j = 0; j < n; ++j) {
      // Parameter j: a random permutation of the m strata, and a random place within each.
      std::vector<std::pair<std::uint64_t, std::size_t>> order;
      for (std::size_t k = 0; k < m; ++k) {
        order.emplace_back(random_words(key, k, j, Purpose::batch_design)[0], k);
      }
      std::sort(order.begin(), order.end());
      for (std::size_t k = 0; k < m; ++k) {
        const double u = (static_cast<double>(order[k].second) +
                          open_unit(random_words(key, k, j, Purpose::batch_design)[1])) /
                         static_cast<double>(m);
        plan.draws[k].values[j] = values[j][0] + u * (values[j][1] - values[j][0]);
      }
    }
    return;
  }
  std::size_t total = 1;
  for (const auto& v : values) total *= v.size();
  if (total > kMaxBatchRuns) {
    errors.emplace_back(where, "draws.parameters",
                        "expected at most " + std::to_string(kMaxBatchRuns) +
                            " grid points, found " + std::to_string(total));
    return;
  }
  for (std::size_t k = 0; k < total; ++k) {
    ParameterDraw d;
    d.number = static_cast<std::int64_t>(k);
    d.where = where;
    d.values.resize(n);
    std::size_t rest = k;
    for (std::size_t j = n; j-- > 0;) {  // the first parameter varies slowest
      d.values[j] = values[j][rest % values[j].size()];
      rest /= values[j].size();
    }
    plan.draws.push_back(std::move(d));
  }
}

void read_draws(const std::string& path, const toml::table& table, BatchPlan& plan,
                std::vector<InputError>& errors) {
  if (table.get("from")) {
    if (table.get("method")) {
      errors.emplace_back(location_of(path, table.get("method")->source()), "draws.method",
                          "expected either from (an ensemble) or method, found both");
      return;
    }
    read_ensemble(path, table, plan, errors);
    return;
  }
  const toml::node* method = table.get("method");
  const auto name = method ? method->value<std::string>() : std::nullopt;
  if (!name || (*name != "latin_hypercube" && *name != "grid")) {
    errors.emplace_back(location_of(path, method ? method->source() : table.source()),
                        "draws.method",
                        "expected from = \"ENSEMBLE.csv\" or method = \"latin_hypercube\" or "
                        "\"grid\", found " +
                            (method ? describe(*method) : std::string("neither")));
    return;
  }
  read_design(path, table, *name, plan, errors);
}

void add_input(std::string& inputs, std::set<std::string>& seen, const std::string& path) {
  if (path.empty() || !seen.insert(path).second) return;
  inputs += path + " sha256 " + file_sha256(path) + "\n";
}

}  // namespace

BatchRun BatchPlan::run(std::size_t k) const {
  BatchRun r;
  r.replicate = k % replicates;
  const std::size_t rest = k / replicates;
  r.draw = rest % draw_count();
  r.scenario = rest / draw_count();
  if (reference) {
    r.reference_run =
        static_cast<std::int64_t>((*reference * draw_count() + r.draw) * replicates + r.replicate);
  }
  return r;
}

Scenario BatchPlan::scenario_of_run(std::size_t k) const {
  const BatchRun r = run(k);
  Scenario s = scenarios[r.scenario];
  s.replicate = r.replicate;
  if (!draws.empty()) {
    const ParameterDraw& d = draws[r.draw];
    for (std::size_t j = 0; j < parameter_names.size(); ++j) {
      s.parameters.set(parameter_names[j], d.values[j], d.where, "draws." + parameter_names[j]);
    }
  }
  return s;
}

void BatchPlan::set_agents(std::int64_t agents) {
  for (auto& s : scenarios) s.agents = agents;
  digest = sha256_hex(digest + "\nagents " + std::to_string(agents) + "\n");
}

BatchPlan parse_batch(const std::string& text, const std::string& path) {
  std::vector<InputError> errors;
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    throw InputErrors({InputError(location_of(path, e.source()), "",
                                  "expected valid TOML, found " + std::string(e.description()))});
  }
  BatchPlan plan;
  plan.file = path;
  plan.text = text;
  TableReader top(path, root, "", errors);
  const toml::table* batch = top.table("batch");
  if (!batch && !top.get("batch")) top.missing("batch", "a [batch] table");
  std::optional<std::string> reference;
  std::optional<std::int64_t> agents, seed;
  std::vector<std::pair<std::string, SourceLocation>> scenario_files;
  SourceLocation reference_where, variables_where;
  if (batch) {
    TableReader r(path, *batch, "batch", errors);
    if (auto name = r.string("name", true)) {
      const bool ok = !name->empty() && name->find_first_of("/\\ \t") == std::string::npos;
      if (!ok) {
        r.error("name", "expected a name without spaces or slashes, found " + in_quotes(*name));
      }
      plan.name = *name;
    }
    if (const toml::node* node = r.get("scenarios")) {
      scenario_files = string_list(path, *node, "batch.scenarios", errors);
    } else {
      r.missing("scenarios", "a list of scenario files");
    }
    reference = r.string("reference", false);
    reference_where = r.where("reference");
    if (auto n = r.integer("replicates", 1, static_cast<std::int64_t>(kMaxBatchReplicates), true))
      plan.replicates = static_cast<std::uint64_t>(*n);
    agents = r.integer("agents", 1, kMaxAgents, false);
    seed = r.integer("seed", 0, std::numeric_limits<std::int64_t>::max(), false);
    variables_where = r.where("variables");
    if (const toml::node* node = r.get("variables")) {
      for (const auto& [name, where] : string_list(path, *node, "batch.variables", errors)) {
        const bool known = std::any_of(kMeasureInfo.begin(), kMeasureInfo.end(),
                                       [&](const MeasureInfo& m) { return m.name == name; });
        if (!known) {
          std::string list;
          for (const auto& m : kMeasureInfo)
            list += (list.empty() ? "" : ", ") + std::string(m.name);
          errors.emplace_back(where, "batch.variables",
                              "expected one of " + list + "; found " + in_quotes(name));
        } else if (std::find(plan.variables.begin(), plan.variables.end(), name) !=
                   plan.variables.end()) {
          errors.emplace_back(where, "batch.variables",
                              "expected each variable once, found " + in_quotes(name) + " again");
        } else {
          plan.variables.push_back(name);
        }
      }
    }
    r.reject_unknown();
  }
  if (const toml::table* draws = top.table("draws")) read_draws(path, *draws, plan, errors);
  top.reject_unknown();
  if (plan.variables.empty()) {
    for (const auto& m : kMeasureInfo) plan.variables.emplace_back(m.name);
  }

  std::string inputs;
  std::set<std::string> seen;
  for (const auto& [relative, where] : scenario_files) {
    const std::string resolved = resolve(path, relative);
    if (!fs::is_regular_file(resolved)) {
      errors.emplace_back(where, "batch.scenarios",
                          "expected an existing scenario file, found " + in_quotes(relative));
      continue;
    }
    try {
      Scenario s = load_scenario(resolved);
      for (const auto& other : plan.scenarios) {
        if (other.name == s.name) {
          errors.emplace_back(
              where, "batch.scenarios",
              "expected scenarios with distinct names, found " + in_quotes(s.name) + " twice");
        }
      }
      if (agents) s.agents = *agents;
      if (seed) s.seed = static_cast<std::uint64_t>(*seed);
      add_input(inputs, seen, resolved);
      for (const auto& f : s.parameter_files) add_input(inputs, seen, f);
      add_input(inputs, seen, s.history_file);
      add_input(inputs, seen, s.regions_file);
      add_input(inputs, seen, s.population_file);
      plan.scenarios.push_back(std::move(s));
    } catch (const InputErrors& e) {
      errors.insert(errors.end(), e.errors().begin(), e.errors().end());
    }
  }
  add_input(inputs, seen, plan.draw_file);
  plan.input_files = inputs;

  if (!plan.scenarios.empty() && errors.empty()) {
    const Scenario& first = plan.scenarios.front();
    plan.milestones = first.milestones;
    plan.milestone_month = static_cast<int>(first.parameters.get("output.milestone_month"));
    for (std::size_t i = 1; i < plan.scenarios.size(); ++i) {
      const Scenario& s = plan.scenarios[i];
      const SourceLocation where = scenario_files[i].second;
      auto differ = [&](const std::string& what, const std::string& a, const std::string& b) {
        errors.emplace_back(where, "batch.scenarios",
                            "expected every scenario to share " + what + " (" + first.name + ": " +
                                a + "), found " + b + " in " + s.name);
      };
      if (s.start != first.start) differ("the start date", to_iso(first.start), to_iso(s.start));
      if (s.end != first.end) differ("the end date", to_iso(first.end), to_iso(s.end));
      if (s.milestones != first.milestones) differ("the milestones", "output.milestones", "others");
      const int month = static_cast<int>(s.parameters.get("output.milestone_month"));
      if (month != plan.milestone_month) {
        differ("output.milestone_month", std::to_string(plan.milestone_month),
               std::to_string(month));
      }
    }
    if (reference) {
      for (std::size_t i = 0; i < plan.scenarios.size(); ++i) {
        if (plan.scenarios[i].name == *reference) plan.reference = i;
      }
      if (!plan.reference) {
        std::string names;
        for (const auto& s : plan.scenarios) names += (names.empty() ? "" : ", ") + s.name;
        errors.emplace_back(reference_where, "batch.reference",
                            "expected the name of a scenario of the batch (" + names + "), found " +
                                in_quotes(*reference));
      } else {
        for (std::size_t i = 0; i < plan.scenarios.size(); ++i) {
          const Scenario& s = plan.scenarios[i];
          if (s.seed != plan.scenarios[*plan.reference].seed) {
            errors.emplace_back(scenario_files[i].second, "batch.scenarios",
                                "expected the reference's seed " +
                                    std::to_string(plan.scenarios[*plan.reference].seed) +
                                    " (paired differences need common random numbers; [batch] "
                                    "seed sets one for all), found " +
                                    std::to_string(s.seed) + " in " + s.name);
          }
        }
      }
    }
    // Every draw must be a valid value set for every scenario (bounds, drivers).
    for (const auto& d : plan.draws) {
      for (std::size_t j = 0; j < plan.parameter_names.size(); ++j) {
        try {
          ParameterSet check(ParameterTable::builtin());
          check.set(plan.parameter_names[j], d.values[j], d.where,
                    "draws." + plan.parameter_names[j]);
        } catch (const InputError& e) {
          errors.push_back(e);
        }
      }
    }
    if (plan.runs() > kMaxBatchRuns) {
      errors.emplace_back(SourceLocation{path, 0, 0}, "batch",
                          "expected at most " + std::to_string(kMaxBatchRuns) + " runs, found " +
                              std::to_string(plan.runs()));
    }
  }
  if (!errors.empty()) throw InputErrors(std::move(errors));

  std::string identity = "divsim " + engine_version() + " " + git_commit() + "\n" + "batch " +
                         sha256_hex(text) + "\n" + inputs;
  if (agents) identity += "agents " + std::to_string(*agents) + "\n";
  plan.digest = sha256_hex(identity);
  return plan;
}

BatchPlan load_batch(const std::string& path) {
  return parse_batch(detail::read_input_file(path, "a batch file"), path);
}

}  // namespace divsim
