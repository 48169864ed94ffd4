// divsim batch: every run of a batch file over the cluster's ranks, spooled as they finish,
// then one batch file (or, with --shard, one part file) written atomically.
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cxxopts.hpp>
#include <filesystem>

#include "commands.h"
#include "divsim/batch/batch_file.h"
#include "divsim/batch/batch_plan.h"
#include "divsim/batch/batch_table.h"
#include "divsim/batch/dispatch.h"
#include "divsim/batch/spool.h"
#include "divsim/core/atomic_output.h"
#include "divsim/core/version.h"
#include "progress.h"
#include "stop_signals.h"

namespace divsim::cli {
namespace {

// What the ranks agree on before any work; the largest wins, so one rank's problem stops all.
enum Verdict : int { kGo = 0, kNothingToDo = 1, kCannotStart = 2, kBadInput = 3 };

/** `i/N` with 0 <= i < N; nothing (after an error) otherwise. */
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_shard(const std::string& text) {
  unsigned long long i = 0, n = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%llu/%llu%c", &i, &n, &tail) != 2 || n == 0 || i >= n) {
    print_error("--shard: expected i/N with 0 <= i < N, found " + in_quotes(text));
    return std::nullopt;
  }
  return std::make_pair(static_cast<std::uint64_t>(i), static_cast<std::uint64_t>(n));
}

/** What --dry-run prints: the batch in one paragraph, then one line per run. */
std::string format_plan(const BatchPlan& plan, const std::string& output,
                        const std::optional<std::pair<std::uint64_t, std::uint64_t>>& shard) {
  const Scenario& first = plan.scenarios.front();
  std::string out = "batch " + plan.name + " (" + plan.file + "): " + std::to_string(plan.runs()) +
                    " runs = " + std::to_string(plan.scenarios.size()) + " scenarios x " +
                    std::to_string(plan.draw_count()) + " draws x " +
                    std::to_string(plan.replicates) + " replicates, " +
                    std::to_string(first.agents) + " agents, " + to_iso(first.start) + " to " +
                    to_iso(first.end) + "\n";
  out += "reference: " + (plan.reference ? plan.scenarios[*plan.reference].name : "none") +
         "; draws: " + (plan.draw_method.empty() ? "none" : plan.draw_method);
  if (!plan.draw_file.empty()) out += " " + plan.draw_file;
  std::string names;
  for (const auto& n : plan.parameter_names) names += (names.empty() ? "" : ", ") + n;
  if (!names.empty()) out += " (" + names + ")";
  out += "\noutput: " + output +
         (shard ? " (part file of shard " + std::to_string(shard->first) + "/" +
                      std::to_string(shard->second) + ")"
                : "") +
         "\n  run  scenario  draw  replicate  reference_run\n";
  for (std::uint64_t k = 0; k < plan.runs(); ++k) {
    if (shard && k % shard->second != shard->first) continue;
    const BatchRun r = plan.run(k);
    out += "  " + std::to_string(k) + "  " + plan.scenarios[r.scenario].name + "  " +
           (plan.draws.empty() ? std::string("-") : std::to_string(plan.draws[r.draw].number)) +
           "  " + std::to_string(r.replicate) + "  " +
           (r.reference_run < 0 ? std::string("-") : std::to_string(r.reference_run)) + "\n";
  }
  return out;
}

/** Names the rank in messages of ranks other than 0. */
std::string rank_prefix(const Cluster& cluster) {
  return cluster.rank() == 0 ? "" : "rank " + std::to_string(cluster.rank()) + ": ";
}

}  // namespace

int command_batch(int argc, char** argv, const std::string& command_line) {
  const auto t0 = std::chrono::steady_clock::now();
  // Joined first: MPI may take its own arguments off the command line.
  Cluster cluster(&argc, &argv);
  const bool root = cluster.rank() == 0;

  cxxopts::Options options("divsim batch",
                           "run every scenario, draw and replicate of a batch file and write "
                           "one HDF5 batch file (docs/batch.md); under mpirun or srun the runs "
                           "spread over the ranks");
  options.positional_help("BATCH");
  options.add_options()("batch", "batch file (TOML)", cxxopts::value<std::string>())(
      "o,output", "batch file to write (default outputs/<batch name>.h5)",
      cxxopts::value<std::string>())("agents",
                                     "number of agents in every run (overrides the "
                                     "batch and its scenarios)",
                                     cxxopts::value<std::int64_t>())(
      "threads", "worker threads per rank (default: all cores)", cxxopts::value<int>())(
      "jobs", "runs simulated at once per rank (default: the threads)", cxxopts::value<int>())(
      "shard",
      "run only shard i of N (runs k with k mod N = i) and write a part file for "
      "divsim merge",
      cxxopts::value<std::string>())("resume",
                                     "keep the finished runs of an interrupted batch and run the "
                                     "rest")(
      "dry-run", "check the batch and list its runs; run nothing, write nothing")(
      "force", "overwrite the output, start the spool again")(
      "q,quiet", "no progress or log lines on stderr")("h,help", "this help");
  options.parse_positional({"batch"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    if (root) std::fputs(options.help().c_str(), stdout);
    return kExitOk;
  }
  const bool quiet = args.count("quiet") > 0 || !root;

  // Every rank reads the batch; rank 0 also checks the output. All agree before any work.
  int status = kGo;
  BatchPlan plan;
  std::unique_ptr<AtomicOutput> out;
  std::unique_ptr<Spool> spool;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> shard;
  int threads = 1, jobs = 1;
  std::string output;
  try {
    if (!args.count("batch")) {
      if (root) print_error("batch: expected a batch file, found none (see divsim batch --help)");
      status = kBadInput;
    }
    if (status == kGo) {
      plan = load_batch(args["batch"].as<std::string>());
      if (args.count("agents")) {
        const auto n = args["agents"].as<std::int64_t>();
        if (n < 1 || n > kMaxAgents) {
          throw InputError({}, "--agents",
                           "expected an integer in [1, " + std::to_string(kMaxAgents) +
                               "], found " + std::to_string(n));
        }
        plan.set_agents(n);
      }
      threads = threads_option(args.count("threads") ? args["threads"].as<int>() : 0,
                               args.count("threads"));
      if (threads == 0) status = kBadInput;
      jobs = args.count("jobs") ? args["jobs"].as<int>() : threads;
      if (jobs < 1 || jobs > 4096) {
        throw InputError({}, "--jobs",
                         "expected an integer in [1, 4096], found " + std::to_string(jobs));
      }
      if (args.count("shard")) {
        shard = parse_shard(args["shard"].as<std::string>());
        if (!shard) status = kBadInput;
      }
      output =
          args.count("output") ? args["output"].as<std::string>() : "outputs/" + plan.name + ".h5";
    }
    if (status == kGo && args.count("dry-run")) {
      if (root) std::fputs(format_plan(plan, output, shard).c_str(), stdout);
      return kExitOk;
    }
    if (status == kGo && root) {
      const bool resume = args.count("resume") > 0, force = args.count("force") > 0;
      spool = std::make_unique<Spool>(output, plan.digest, resume, force);
      const bool spooled = std::filesystem::exists(spool->folder());
      if (resume && !force && !spooled && file_exists(output) &&
          batch_digest_of(output) == plan.digest) {
        status = kNothingToDo;  // a requeued job whose batch was already written
      } else {
        // Resuming a spool replaces the file an earlier, interrupted execution left in place.
        out = std::make_unique<AtomicOutput>(output, force || (resume && spooled));
      }
    }
  } catch (const InputErrors& e) {
    for (const auto& one : e.errors()) {
      if (root) print_error(one.what());
    }
    status = kBadInput;
  } catch (const InputError& e) {
    if (root) print_error(e.key().empty() ? e.what() : e.key() + ": " + e.message());
    status = kBadInput;
  } catch (const std::exception& e) {
    print_error(rank_prefix(cluster) + e.what());
    status = kCannotStart;
  }
  switch (cluster.agree(status)) {
    case kGo:
      break;
    case kNothingToDo:
      if (root) log(quiet, "batch " + plan.name + ": " + output + " is already complete");
      return kExitOk;
    case kBadInput:
      return kExitBadInput;
    default:
      return kExitFailure;
  }

  // Under MPI a rank that failed alone would leave the others waiting for it: it stops them all.
  try {
    std::vector<std::uint64_t> mine, todo;
    for (std::uint64_t k = 0; k < plan.runs(); ++k) {
      if (!shard || k % shard->second == shard->first) mine.push_back(k);
    }
    if (root) {
      for (const auto k : mine) {
        if (!spool->finished().count(k)) todo.push_back(k);
      }
      log(quiet, "divsim " + engine_version() + ": batch " + plan.name + " (" + plan.file + "), " +
                     std::to_string(mine.size()) + " runs" +
                     (shard ? " in shard " + args["shard"].as<std::string>() : "") + ", " +
                     std::to_string(mine.size() - todo.size()) + " already finished; " +
                     std::to_string(cluster.size()) + " rank(s) x " + std::to_string(jobs) +
                     " job(s), " + std::to_string(threads) + " thread(s) per rank");
      spool->prepare();
    }

    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                    static_cast<std::size_t>(threads));
    catch_stop_signals();

    Progress progress("batch " + plan.name, quiet, "run");
    std::size_t finished = mine.size() - todo.size();
    DispatchOptions dispatch;
    dispatch.jobs = jobs;
    dispatch.stop = &stop_requested();
    dispatch.store = [&](std::uint64_t run, std::string&& bytes) {
      spool->store(run, bytes);
      ++finished;
      progress.update(static_cast<int>(finished), static_cast<int>(mine.size()));
    };
    dispatch_runs(cluster, plan, todo, dispatch);
    progress.finish();
    if (stop_requested().load()) {
      const int sig = stop_signal();
      if (root) {
        print_error("stopped by signal " + std::to_string(sig) + " with " +
                    std::to_string(finished) + " of " + std::to_string(mine.size()) +
                    " runs finished; they are kept in " + spool->folder() +
                    " and --resume runs the rest");
      }
      return 128 + sig;
    }
    if (!root) return kExitOk;

    BatchExecution execution;
    execution.command_line = command_line;
    execution.mpi_ranks = cluster.size();
    execution.threads = threads;
    execution.jobs = jobs;
    execution.wall_time_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    write_batch_file(
        out->prepare(), plan, mine,
        [&](std::uint64_t k) {
          return deserialize_run(spool->load(k), plan.digest, spool->folder());
        },
        execution, shard ? std::to_string(shard->first) + "/" + std::to_string(shard->second) : "");
    out->commit();
    spool->remove();
    log(quiet, "wrote " + output + " (" + std::to_string(mine.size()) + " runs in " +
                   std::to_string(execution.wall_time_seconds).substr(0, 6) + " s)");
    if (!shard) std::fputs(format_batch_table(output).c_str(), stdout);
    return kExitOk;
  } catch (const std::exception& e) {
    if (!cluster.uses_mpi() || cluster.size() == 1) throw;
    print_error(rank_prefix(cluster) + e.what());
    cluster.abort(kExitFailure);
  }
}

}  // namespace divsim::cli
