// divsim compare: paired comparison of run files against a base run at the review milestones.
#include <cstdio>
#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "commands.h"
#include "divsim/core/atomic_output.h"
#include "divsim/core/error.h"
#include "divsim/output/comparison.h"
#include "progress.h"

namespace divsim::cli {
namespace {

/** `2027,2030,2035` as years; an InputError names the option and the bad part. */
std::vector<int> parse_years(const std::string& text) {
  std::vector<int> years;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find(',', begin);
    const std::string part = text.substr(begin, end == std::string::npos ? end : end - begin);
    const bool digits = !part.empty() && part.size() <= 4 &&
                        part.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      throw InputError({"--years", 0, 0}, "",
                       "expected milestone years separated by commas (such as 2027,2030,2035), "
                       "found " +
                           in_quotes(part));
    }
    const int year = std::stoi(part);
    for (const int y : years) {
      if (y == year) throw InputError({"--years", 0, 0}, "", part + " given twice");
    }
    years.push_back(year);
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return years;
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

int compare(const cxxopts::ParseResult& args) {
  const std::vector<std::string> files = args.unmatched();
  const bool quiet = args.count("quiet") > 0;
  if (files.size() < 2) {
    print_error("compare: expected a base run file and at least one other, found " +
                std::to_string(files.size()) + " (usage: divsim compare BASE.h5 ALT.h5 " +
                "[ALT2.h5 ...] [-o FILE.csv]; see divsim compare --help)");
    return kExitBadInput;
  }
  const std::vector<int> years = args.count("years") ? parse_years(args["years"].as<std::string>())
                                                     : std::vector<int>{2027, 2030, 2035};
  const std::string output =
      args.count("output") ? args["output"].as<std::string>() : "outputs/compare.csv";
  for (const auto& file : files) {
    if (same_file(file, output)) {
      throw InputError({output, 0, 0}, "", "expected a CSV file name, found the run file " + file);
    }
  }
  AtomicOutput out(output, args.count("force") > 0);

  std::vector<RunSummary> runs;
  for (const auto& file : files) runs.push_back(read_run_summary(file));
  const Comparison comparison = compare_runs(runs, years);

  {
    std::ofstream csv(out.prepare(), std::ios::binary | std::ios::trunc);
    csv << format_comparison_csv(comparison);
    csv.close();
    if (!csv) throw RuntimeFailure("cannot write " + out.temp_path() + " (out of disk space?)");
  }
  out.commit();
  std::fputs(format_comparison_table(comparison).c_str(), stdout);
  std::fflush(stdout);
  log(quiet, "wrote " + output);
  return kExitOk;
}

}  // namespace

int command_compare(int argc, char** argv) {
  cxxopts::Options options(
      "divsim compare",
      "compare run files with a base run at the milestones: Internet use, gaps, money spent and "
      "the cost per additional user (table on stdout, CSV file)");
  options.custom_help("BASE.h5 ALT.h5 [ALT2.h5 ...] [OPTION...]");
  options.add_options()("o,output", "CSV file to write (default outputs/compare.csv)",
                        cxxopts::value<std::string>())(
      "years", "milestone years to compare, comma-separated (default 2027,2030,2035)",
      cxxopts::value<std::string>())("force", "overwrite an existing CSV file")(
      "q,quiet", "no log line on stderr")("h,help", "this help");
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    std::fputs(
        "\nEvery ALT must have the base's seed, replicate, agents and start date: paired\n"
        "differences need common random numbers. See docs/compare.md for the columns.\n",
        stdout);
    return kExitOk;
  }
  try {
    return compare(args);
  } catch (const InputError& e) {
    print_error(std::string("compare: ") + e.what());
    return kExitBadInput;
  } catch (const RuntimeFailure& e) {
    print_error(std::string("compare: ") + e.what());
    return kExitFailure;
  }
}

}  // namespace divsim::cli
