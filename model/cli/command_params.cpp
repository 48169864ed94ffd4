// divsim params: the parameter table as text, Markdown (docs/parameters.md) or CSV.
#include <cstdio>
#include <cxxopts.hpp>

#include "commands.h"
#include "divsim/params/parameter_table.h"

namespace divsim::cli {

int command_params(int argc, char** argv) {
  cxxopts::Options options("divsim params", "print the parameter table");
  options.add_options()("format", "table, md or csv",
                        cxxopts::value<std::string>()->default_value("table"))("h,help",
                                                                               "this help");
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return kExitOk;
  }
  const ParameterTable& table = ParameterTable::builtin();
  const std::string format = args["format"].as<std::string>();
  if (format == "md") {
    std::fputs(table.to_markdown().c_str(), stdout);
  } else if (format == "csv") {
    std::fputs(table.text().c_str(), stdout);
  } else if (format == "table") {
    std::printf("%-62s %-28s %10s  %s\n", "name", "unit", "default", "source");
    for (const auto& spec : table.specs()) {
      std::printf("%-62s %-28s %10s  %s\n", spec.name.c_str(), spec.unit.c_str(),
                  format_number(spec.default_value).c_str(), spec.source.c_str());
    }
  } else {
    print_error("params: --format: expected table, md or csv, found " + in_quotes(format));
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace divsim::cli
