// divsim calibrate: fit the calibrated parameters to the record and write the parameter file,
// the posterior ensemble and the report (docs/calibration.md).
#include <fcntl.h>
#include <oneapi/tbb/global_control.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cxxopts.hpp>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "commands.h"
#include "divsim/calibration/calibration.h"
#include "divsim/core/atomic_output.h"
#include "divsim/core/error.h"
#include "progress.h"

namespace divsim::detail {
extern const std::string_view kCalibrationChartPy;  // scripts/calibration_chart.py
}

namespace divsim::cli {
namespace {

/**
 * Draws the report's chart with Debian's Python and matplotlib (the script is built in). A
 * missing Python is not a failure of the calibration: it says so and how to draw it later.
 */
void draw_chart(const std::string& report_dir, bool quiet) {
  const std::string script = report_dir + "/.calibration_chart.tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(script, std::ios::binary | std::ios::trunc);
    out << detail::kCalibrationChartPy;
  }
  const pid_t child = ::fork();
  if (child == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) ::dup2(null, STDOUT_FILENO);
    ::execl("/usr/bin/python3", "python3", script.c_str(), report_dir.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = -1;
  if (child > 0) ::waitpid(child, &status, 0);
  std::remove(script.c_str());
  if (child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    log(quiet, "chart: " + report_dir + "/fit.png");
  } else {
    log(false,
        "no chart (needs /usr/bin/python3 with python3-matplotlib); draw it later with "
        "scripts/calibration-chart " +
            report_dir);
  }
}

void write_text(AtomicOutput& out, const std::string& text) {
  std::ofstream file(out.prepare(), std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw RuntimeFailure("cannot write " + out.temp_path() + " (out of disk space?)");
}

}  // namespace

int command_calibrate(int argc, char** argv, const std::string& command_line) {
  cxxopts::Options options(
      "divsim calibrate",
      "fit the parameters a calibration file names to its targets (the historical record), "
      "then sample the parameter sets consistent with them; writes the calibrated parameter "
      "file, the ensemble and a report");
  options.custom_help("CONFIG [OPTION...]");
  options.add_options()("fit-until",
                        "fit only the targets up to this year and report the error "
                        "on the later ones (writes only the report)",
                        cxxopts::value<int>())(
      "agents", "agents per run instead of the configuration's", cxxopts::value<std::int64_t>())(
      "report", "report folder instead of the configuration's", cxxopts::value<std::string>())(
      "threads", "worker threads (default: all cores)", cxxopts::value<int>())(
      "no-chart", "do not draw the report's chart")("force", "overwrite existing outputs")(
      "q,quiet", "no progress on stderr")("h,help", "this help");
  options.parse_positional({"config"});
  options.add_options()("config", "calibration file", cxxopts::value<std::string>());
  const auto args = options.parse(argc, argv);
  if (args.count("help") || !args.count("config")) {
    std::fputs(options.help().c_str(), args.count("help") ? stdout : stderr);
    return args.count("help") ? kExitOk : kExitBadInput;
  }
  const bool quiet = args.count("quiet") > 0;
  CalibrationConfig config = load_calibration_config(args["config"].as<std::string>());
  if (args.count("agents")) {
    const auto n = args["agents"].as<std::int64_t>();
    if (n < 1000 || n > 2'000'000'000) {
      print_error("--agents: expected an integer in [1000, 2000000000], found " +
                  std::to_string(n));
      return kExitBadInput;
    }
    config.agents = n;
  }
  const bool out_of_sample = args.count("fit-until") > 0;
  if (out_of_sample) {
    const int year = args["fit-until"].as<int>();
    if (year < 1900 || year > 2200) {
      print_error("--fit-until: expected a year in [1900, 2200], found " + std::to_string(year));
      return kExitBadInput;
    }
    config.fit_until = year;
    config.report_dir += "-until-" + std::to_string(year);
    // A fit to part of the record is a test, not the shipped calibration: its files stay in
    // its report folder.
    config.calibrated_file = config.report_dir + "/calibrated.toml";
    config.posterior_file.clear();
    config.rounds = 0;
  }
  if (args.count("report")) config.report_dir = args["report"].as<std::string>();
  const int threads =
      threads_option(args.count("threads") ? args["threads"].as<int>() : 0, args.count("threads"));
  if (threads == 0) return kExitBadInput;
  const bool force = args.count("force") > 0;

  // Every output is checked before hours of runs, and replaced only when all are ready.
  AtomicOutput calibrated(config.calibrated_file, force);
  std::unique_ptr<AtomicOutput> posterior;
  if (!config.posterior_file.empty() && config.rounds > 0) {
    posterior = std::make_unique<AtomicOutput>(config.posterior_file, force);
  }
  std::vector<std::unique_ptr<AtomicOutput>> reports;
  for (const char* name : {"report.md", "fit.csv", "objective.csv", "parameters.csv",
                           "trajectory.csv", "posterior_samples.csv"}) {
    reports.push_back(std::make_unique<AtomicOutput>(config.report_dir + "/" + name, force));
  }

  tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                  static_cast<std::size_t>(threads));
  log(quiet, "divsim calibrate: " + config.file + ", " + std::to_string(config.parameters.size()) +
                 " parameters, " + std::to_string(threads) + " threads");
  const CalibrationResult result =
      calibrate(config, [&](const std::string& line) { log(quiet, line); });

  const auto files = report_files(config, result, command_line);
  std::vector<AtomicOutput*> written;
  for (auto& out : reports) {
    const std::string name = out->final_path().substr(config.report_dir.size() + 1);
    for (const auto& [file, text] : files) {
      if (file != name) continue;
      write_text(*out, text);
      written.push_back(out.get());
    }
  }
  write_text(calibrated, calibrated_file_text(config, result, command_line));
  if (posterior) write_text(*posterior, posterior_file_text(config, result));
  for (AtomicOutput* out : written) out->commit();
  calibrated.commit();
  if (posterior) posterior->commit();

  if (!args.count("no-chart")) draw_chart(config.report_dir, quiet);

  std::printf("calibrated: %s\n", config.calibrated_file.c_str());
  if (posterior) std::printf("ensemble:   %s\n", config.posterior_file.c_str());
  std::printf("report:     %s/report.md\n", config.report_dir.c_str());
  return kExitOk;
}

}  // namespace divsim::cli
