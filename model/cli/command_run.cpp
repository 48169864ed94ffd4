// divsim run: validate, build the world, simulate, write the run file atomically, print milestones.
#include <oneapi/tbb/global_control.h>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "commands.h"
#include "divsim/core/atomic_output.h"
#include "divsim/core/sha256.h"
#include "divsim/core/version.h"
#include "divsim/output/milestone_table.h"
#include "divsim/output/run_file.h"
#include "divsim/scenario/scenario.h"
#include "divsim/sim/simulation.h"
#include "progress.h"
#include "stop_signals.h"

namespace divsim::cli {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int command_run(int argc, char** argv, const std::string& command_line) {
  cxxopts::Options options("divsim run", "simulate a scenario and write its HDF5 run file");
  options.positional_help("SCENARIO");
  options.add_options()("scenario", "scenario file (TOML)", cxxopts::value<std::string>())(
      "o,output", "run file to write (default outputs/<scenario name>.h5)",
      cxxopts::value<std::string>())("agents", "number of agents (overrides world.agents)",
                                     cxxopts::value<std::int64_t>())(
      "seed", "random seed (overrides run.seed)", cxxopts::value<std::uint64_t>())(
      "replicate", "replicate number (overrides run.replicate)", cxxopts::value<std::uint64_t>())(
      "threads", "worker threads (default: all cores)", cxxopts::value<int>())(
      "force", "overwrite an existing run file")("q,quiet", "no progress or log lines on stderr")(
      "h,help", "this help");
  options.parse_positional({"scenario"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return kExitOk;
  }
  if (!args.count("scenario")) {
    print_error("run: expected a scenario file, found none (see divsim run --help)");
    return kExitBadInput;
  }
  const bool quiet = args.count("quiet") > 0;
  const auto t0 = std::chrono::steady_clock::now();

  Scenario scenario = load_scenario(args["scenario"].as<std::string>());
  if (args.count("agents")) {
    const auto n = args["agents"].as<std::int64_t>();
    if (n < 1 || n > kMaxAgents) {
      print_error("--agents: expected an integer in [1, " + std::to_string(kMaxAgents) +
                  "], found " + std::to_string(n));
      return kExitBadInput;
    }
    scenario.agents = n;
  }
  if (args.count("seed")) {
    const auto seed = args["seed"].as<std::uint64_t>();
    if (seed > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      print_error("--seed: expected an integer in [0, 9223372036854775807] (as run.seed), found " +
                  std::to_string(seed));
      return kExitBadInput;
    }
    scenario.seed = seed;
  }
  if (args.count("replicate")) {
    const auto replicate = args["replicate"].as<std::uint64_t>();
    if (replicate > 1'000'000'000) {
      print_error("--replicate: expected an integer in [0, 1000000000], found " +
                  std::to_string(replicate));
      return kExitBadInput;
    }
    scenario.replicate = replicate;
  }
  const int threads =
      threads_option(args.count("threads") ? args["threads"].as<int>() : 0, args.count("threads"));
  if (threads == 0) return kExitBadInput;
  const std::string output =
      args.count("output") ? args["output"].as<std::string>() : "outputs/" + scenario.name + ".h5";
  AtomicOutput out(output, args.count("force") > 0);

  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
  catch_stop_signals();

  log(quiet, "divsim " + engine_version() + ": " + scenario.file + " (" + scenario.name + "), " +
                 std::to_string(scenario.agents) + " agents, seed " +
                 std::to_string(scenario.seed) + ", replicate " +
                 std::to_string(scenario.replicate) + ", " + std::to_string(threads) + " threads");
  const WorldPlan plan = plan_world(scenario);
  Simulation sim(scenario, plan, scenario.agents, {scenario.seed, scenario.replicate});
  const double setup_seconds = seconds_since(t0);
  log(quiet, "world built in " + std::to_string(setup_seconds).substr(0, 6) + " s; " +
                 std::to_string(sim.steps()) + " monthly steps from " + to_iso(scenario.start));

  Progress progress("run " + scenario.name, quiet);
  const auto t_steps = std::chrono::steady_clock::now();
  Trajectory trajectory;
  try {
    trajectory =
        sim.run([&](int done, int total) { progress.update(done, total); }, &stop_requested());
  } catch (const Interrupted&) {
    progress.finish();
    const int sig = stop_signal();
    print_error("stopped by signal " + std::to_string(sig) + "; no run file written");
    return 128 + sig;
  }
  progress.finish();
  const double step_seconds = seconds_since(t_steps);
  const double agent_steps = static_cast<double>(scenario.agents) * sim.steps();

  const auto points =
      milestone_points(trajectory, scenario.milestones,
                       static_cast<int>(scenario.parameters.get("output.milestone_month")));

  Provenance p;
  std::string overrides;
  for (const auto& [name, value] : scenario.parameters.overrides()) {
    overrides += name + " = " + format_number(value) + "\n";
  }
  // The files a scenario reads its values from, for reproduction (their values are also among
  // the overrides above).
  std::string inputs;
  for (const auto& f : scenario.parameter_files) {
    inputs += f + " sha256 " + file_sha256(f) + "\n";
  }
  if (!scenario.history_file.empty()) {
    inputs += scenario.history_file + " sha256 " + file_sha256(scenario.history_file) + "\n";
  }
  std::string phases;
  for (const auto& name : sim.phase_names()) phases += (phases.empty() ? "" : " ") + name;
  p.text = {{"Conventions", "CF-1.8"},
            {"title", "divsim run: " + scenario.name},
            {"source", "divsim " + engine_version()},
            {"history", utc_timestamp() + " " + command_line},
            {"engine_version", engine_version()},
            {"git_commit", git_commit()},
            {"dependency_versions", dependency_versions()},
            {"scenario_name", scenario.name},
            {"scenario_file", scenario.file},
            {"scenario_text", scenario.text},
            {"scenario_sha256", sha256_hex(scenario.text)},
            {"parameter_table_sha256", sha256_hex(scenario.parameters.table().text())},
            {"parameter_overrides", overrides},
            {"input_files", inputs},
            {"start_date", to_iso(scenario.start)},
            {"end_date", to_iso(scenario.end)},
            {"phases", phases},
            {"random_generator", "Philox4x64-10 keyed on (seed, replicate)"},
            {"command_line", command_line},
            {"created", utc_timestamp()}};
  p.unsigned_integers = {{"seed", scenario.seed}, {"replicate", scenario.replicate}};
  p.integers = {
      {"agents", scenario.agents}, {"steps", sim.steps()}, {"threads", threads}, {"mpi_ranks", 1}};
  const double wall = seconds_since(t0);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  p.reals = {{"person_weight", plan.population / static_cast<double>(scenario.agents)},
             {"bytes_per_agent", sim.bytes_per_agent()},
             {"peak_resident_bytes", static_cast<double>(usage.ru_maxrss) * 1024.0},
             {"setup_seconds", setup_seconds},
             {"step_seconds", step_seconds},
             {"wall_time_seconds", wall},
             {"agent_steps_per_second", agent_steps / wall},
             {"agent_steps_per_second_steps_only", agent_steps / step_seconds}};

  write_run_file(out.prepare(), scenario.start, trajectory, points, p, scenario.variables,
                 &sim.world().ledger);
  if (stop_requested().load()) {
    print_error("stopped by signal " + std::to_string(stop_signal()) + "; no run file written");
    return 128 + stop_signal();
  }
  out.commit();
  log(quiet, "wrote " + output + " in " + std::to_string(seconds_since(t0)).substr(0, 6) + " s");

  std::fputs(format_milestone_table("divsim " + scenario.name + " (" + scenario.file + ", seed " +
                                        std::to_string(scenario.seed) + ", " +
                                        std::to_string(scenario.agents) + " agents)",
                                    trajectory, points)
                 .c_str(),
             stdout);
  std::fputs(format_money_table(sim.world().ledger, points).c_str(), stdout);
  return kExitOk;
}

}  // namespace divsim::cli
