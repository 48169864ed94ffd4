// divsim: dispatches to a subcommand, each with its own options (GROMACS-style module table).
#include <cxxopts.hpp>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

#include "commands.h"
#include "divsim/core/error.h"
#include "divsim/core/version.h"

namespace {

constexpr const char* kUsage =
    "divsim: agent-based scenarios of the digital divide (WSIS+20 baselines to 2030 and 2035)\n"
    "\n"
    "usage: divsim COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO       simulate a scenario and write its HDF5 run file\n"
    "  validate SCENARIO  check a scenario file and the data it names, and fit its start figures\n"
    "  params             print the parameter table (units, bounds, sources)\n"
    "  list interventions the intervention types with their keys, defaults and sources\n"
    "  compare BASE ALT.. compare run files with a base run at the milestones (table and CSV)\n"
    "  calibrate CONFIG   fit the calibrated parameters to the historical record (report, "
    "ensemble)\n"
    "  batch BATCH        scenarios x draws x replicates into one batch file (MPI, shards, "
    "resume)\n"
    "  merge PART...      join the part files of a sharded batch into its batch file\n"
    "  reproduce FILE     re-run a run or batch file's recipe; check the data is bit-identical\n"
    "\n"
    "options:\n"
    "  -h, --help         this help; `divsim COMMAND --help` for a command's options\n"
    "  --version          engine version, git commit and library versions\n"
    "\n"
    "exit codes: 0 ok, 1 runtime failure, 2 bad input or usage\n";

std::string shell_quote(const std::string& arg) {
  if (!arg.empty() &&
      arg.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+") ==
          std::string::npos) {
    return arg;
  }
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace divsim::cli;
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kExitBadInput;
  }
  const std::string command = argv[1];
  if (command == "-h" || command == "--help" || command == "help") {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    std::printf("divsim %s\ncommit %s\n%s\n", divsim::engine_version().c_str(),
                divsim::git_commit().c_str(), divsim::dependency_versions().c_str());
    return kExitOk;
  }
  std::string command_line;
  for (int i = 0; i < argc; ++i) command_line += (i ? " " : "") + shell_quote(argv[i]);
  try {
    if (command == "run") return command_run(argc - 1, argv + 1, command_line);
    if (command == "validate") return command_validate(argc - 1, argv + 1);
    if (command == "params") return command_params(argc - 1, argv + 1);
    if (command == "list") return command_list(argc - 1, argv + 1);
    if (command == "compare") return command_compare(argc - 1, argv + 1);
    if (command == "calibrate") return command_calibrate(argc - 1, argv + 1, command_line);
    if (command == "batch") return command_batch(argc - 1, argv + 1, command_line);
    if (command == "merge") return command_merge(argc - 1, argv + 1, command_line);
    if (command == "reproduce") return command_reproduce(argc - 1, argv + 1);
  } catch (const cxxopts::exceptions::exception& e) {
    std::string what = e.what();
    if (!what.empty())
      what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    print_error(command + ": " + what + " (see divsim " + command + " --help)");
    return kExitBadInput;
  } catch (const divsim::InputErrors& e) {
    for (const auto& one : e.errors()) print_error(one.what());
    return kExitBadInput;
  } catch (const divsim::InputError& e) {
    print_error(e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitFailure;
  }
  print_error(
      "unknown command " + divsim::in_quotes(command) +
      " (expected run, validate, params, list, compare, calibrate, batch, merge or reproduce)");
  return kExitBadInput;
}
