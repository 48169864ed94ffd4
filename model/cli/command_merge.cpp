// divsim merge: the part files of a sharded batch (--shard i/N) joined into the batch file the
// batch would have written in one go.
#include <chrono>
#include <cstdio>
#include <cxxopts.hpp>
#include <map>
#include <memory>

#include "commands.h"
#include "divsim/batch/batch_file.h"
#include "divsim/batch/batch_plan.h"
#include "divsim/batch/batch_table.h"
#include "divsim/core/atomic_output.h"
#include "progress.h"

namespace divsim::cli {

int command_merge(int argc, char** argv, const std::string& command_line) {
  const auto t0 = std::chrono::steady_clock::now();
  cxxopts::Options options("divsim merge",
                           "join the part files of a sharded batch into one batch file");
  options.positional_help("PART...");
  options.add_options()("parts", "part files (divsim batch --shard i/N)",
                        cxxopts::value<std::vector<std::string>>())(
      "o,output", "batch file to write (default outputs/<batch name>.h5)",
      cxxopts::value<std::string>())("force", "overwrite the output")(
      "q,quiet", "no log lines on stderr")("h,help", "this help");
  options.parse_positional({"parts"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return kExitOk;
  }
  if (!args.count("parts")) {
    print_error("merge: expected part files, found none (see divsim merge --help)");
    return kExitBadInput;
  }
  const bool quiet = args.count("quiet") > 0;
  std::vector<std::unique_ptr<PartFile>> parts;
  for (const auto& path : args["parts"].as<std::vector<std::string>>()) {
    parts.push_back(std::make_unique<PartFile>(path));
  }
  const PartFile& first = *parts.front();
  BatchPlan plan = load_batch(first.batch_file());
  if (plan.scenarios.front().agents != first.agents()) plan.set_agents(first.agents());
  if (plan.digest != first.digest()) {
    throw InputError({first.path(), 0, 0}, "",
                     "expected a part of batch " + first.batch_file() +
                         " as it is now, found one of another version of it, its inputs or the "
                         "engine (digest " +
                         first.digest().substr(0, 12) + ", now " + plan.digest.substr(0, 12) + ")");
  }
  // Every run exactly once, from parts of one split.
  const std::string shards = first.shard().substr(first.shard().find('/'));
  std::map<std::uint64_t, std::pair<const PartFile*, std::size_t>> where;
  std::map<std::string, const PartFile*> seen_shards;
  for (const auto& part : parts) {
    if (part->digest() != first.digest()) {
      throw InputError(
          {part->path(), 0, 0}, "",
          "expected a part of the same batch as " + first.path() + ", found one of another");
    }
    if (part->shard().substr(part->shard().find('/')) != shards) {
      throw InputError(
          {part->path(), 0, 0}, "",
          "expected shard i" + shards + " like " + first.path() + ", found " + part->shard());
    }
    if (auto [it, fresh] = seen_shards.emplace(part->shard(), part.get()); !fresh) {
      throw InputError({part->path(), 0, 0}, "",
                       "expected each shard once, found " + part->shard() + " again (also " +
                           it->second->path() + ")");
    }
    for (std::size_t p = 0; p < part->runs().size(); ++p) where[part->runs()[p]] = {part.get(), p};
  }
  const std::uint64_t n = std::stoull(shards.substr(1));
  if (seen_shards.size() != n) {
    std::string missing;
    for (std::uint64_t i = 0; i < n; ++i) {
      if (!seen_shards.count(std::to_string(i) + shards)) {
        missing += (missing.empty() ? "" : ", ") + std::to_string(i) + shards;
      }
    }
    throw InputError({}, "merge",
                     "expected all " + std::to_string(n) + " shards, found none for " + missing);
  }
  std::vector<std::uint64_t> runs;
  for (std::uint64_t k = 0; k < plan.runs(); ++k) {
    if (!where.count(k)) {
      throw InputError({}, "merge",
                       "expected every run of the batch, found none for run " + std::to_string(k));
    }
    runs.push_back(k);
  }
  const std::string output =
      args.count("output") ? args["output"].as<std::string>() : "outputs/" + plan.name + ".h5";
  AtomicOutput out(output, args.count("force") > 0);
  BatchExecution execution;
  execution.command_line = command_line;
  execution.wall_time_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_batch_file(
      out.prepare(), plan, runs,
      [&](std::uint64_t k) {
        const auto& [part, position] = where.at(k);
        return part->read(position, plan);
      },
      execution, "");
  out.commit();
  log(quiet, "merged " + std::to_string(parts.size()) + " parts into " + output + " (" +
                 std::to_string(runs.size()) + " runs)");
  std::fputs(format_batch_table(output).c_str(), stdout);
  return kExitOk;
}

}  // namespace divsim::cli
