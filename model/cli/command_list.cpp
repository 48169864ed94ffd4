// divsim list: the registered intervention types and processes, with what each reads.
#include <cstdio>
#include <cxxopts.hpp>
#include <string>

#include "commands.h"
#include "divsim/params/parameter_table.h"
#include "divsim/policy/intervention_spec.h"
#include "divsim/processes/process.h"

namespace divsim::cli {

namespace {

void list_interventions() {
  const ParameterTable& table = ParameterTable::builtin();
  for (const auto& type : intervention_types()) {
    const bool fund = type.role == InterventionRole::fund;
    std::printf("%s (%s)\n  %s\n", std::string(type.name).c_str(), fund ? "fund" : "programme",
                std::string(type.summary).c_str());
    std::printf("  keys: type, name, start, end%s%s\n", fund ? "" : ", funding",
                type.target_keys.empty() ? "" : ", target");
    if (!type.target_keys.empty()) {
      std::string keys;
      for (const auto& k : type.target_keys) keys += (keys.empty() ? "" : ", ") + std::string(k);
      std::printf("  target: %s\n", keys.c_str());
    }
    for (const auto& choice : type.choices) {
      std::string values;
      for (const auto& v : choice.values) values += (values.empty() ? "" : " | ") + std::string(v);
      std::printf("  %s = %s (default %s): %s\n", std::string(choice.key).c_str(), values.c_str(),
                  std::string(choice.values.front()).c_str(),
                  std::string(choice.description).c_str());
    }
    for (const auto& name : intervention_parameters(type)) {
      const ParameterSpec& spec = *table.find(name);
      const std::string key = name.substr(name.find('.', name.find('.') + 1) + 1);
      std::printf("  %s = %s [%s, %s] %s: %s (%s)\n", key.c_str(),
                  format_number(spec.default_value).c_str(), format_number(spec.min).c_str(),
                  format_number(spec.max).c_str(), spec.unit.c_str(), spec.description.c_str(),
                  spec.source.c_str());
    }
    std::printf("\n");
  }
}

}  // namespace

int command_list(int argc, char** argv) {
  cxxopts::Options options("divsim list", "list the registered intervention types or processes");
  options.positional_help("interventions|processes");
  options.add_options()("what", "interventions or processes", cxxopts::value<std::string>())(
      "h,help", "this help");
  options.parse_positional({"what"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return kExitOk;
  }
  const std::string what = args.count("what") ? args["what"].as<std::string>() : "";
  if (what == "interventions") {
    list_interventions();
    return kExitOk;
  }
  if (what == "processes") {
    for (const auto& name : process_names()) std::printf("%s\n", name.c_str());
    return kExitOk;
  }
  print_error("list: expected interventions or processes, found " +
              (what.empty() ? std::string("nothing") : "\"" + what + "\""));
  return kExitBadInput;
}

}  // namespace divsim::cli
