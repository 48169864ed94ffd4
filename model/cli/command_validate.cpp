// divsim validate: the scenario, the data files it names, and the fit of its start figures.
#include <cstdio>
#include <cxxopts.hpp>

#include "commands.h"
#include "divsim/policy/intervention_spec.h"
#include "divsim/scenario/scenario.h"
#include "divsim/world/synthesis.h"

namespace divsim::cli {

void print_error(const std::string& message) {
  std::fprintf(stderr, "divsim: %s\n", message.c_str());
}

int command_validate(int argc, char** argv) {
  cxxopts::Options options(
      "divsim validate", "check a scenario file and the data it names, and fit its start figures");
  options.positional_help("SCENARIO");
  options.add_options()("scenario", "scenario file (TOML)", cxxopts::value<std::string>())(
      "figures", "also print each start figure: as given, reconciled and fitted")("h,help",
                                                                                  "this help");
  options.parse_positional({"scenario"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return kExitOk;
  }
  if (!args.count("scenario")) {
    print_error("validate: expected a scenario file, found none (see divsim validate --help)");
    return kExitBadInput;
  }
  const Scenario scenario = load_scenario(args["scenario"].as<std::string>());
  const WorldPlan plan = plan_world(scenario);
  std::string interventions;
  if (!scenario.interventions.empty()) {
    std::size_t funds = 0;
    for (const auto& spec : scenario.interventions) {
      const InterventionTypeInfo* type = find_intervention_type(spec.type);
      funds += type && type->role == InterventionRole::fund ? 1 : 0;
    }
    interventions = ", " + std::to_string(funds) + (funds == 1 ? " fund, " : " funds, ") +
                    std::to_string(scenario.interventions.size() - funds) +
                    (scenario.interventions.size() - funds == 1 ? " programme" : " programmes");
  }
  std::printf("%s: valid (%s; %zu regions, %zu cells, %.1f million people, %d monthly steps%s)\n",
              scenario.file.c_str(), scenario.name.c_str(), plan.regions.size(), plan.cells.size(),
              plan.population / 1e6, scenario.steps(), interventions.c_str());
  if (args.count("figures")) {
    std::printf("\n%-64s %8s %10s %8s  %s\n", "start figure (percent)", "given", "reconciled",
                "fitted", "source");
    for (const auto& f : plan.fit.figures) {
      std::printf("%-64s %8.2f %10.2f %8.2f  %s\n", f.parameter.c_str(), f.given, f.reconciled,
                  f.fitted, f.source.c_str());
    }
  }
  return kExitOk;
}

}  // namespace divsim::cli
