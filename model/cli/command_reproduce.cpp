// divsim reproduce: re-runs what a run or batch file's provenance describes, from the same inputs,
// and reports whether every data variable comes out bit-identical.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "commands.h"
#include "divsim/core/error.h"
#include "divsim/core/sha256.h"
#include "divsim/core/version.h"
#include "divsim/output/data_comparison.h"
#include "progress.h"

namespace divsim::cli {
namespace {

namespace fs = std::filesystem;

/** The provenance of a divsim file, read once; a missing attribute is an InputError. */
class Attributes {
 public:
  explicit Attributes(const std::string& path) : path_(path), values_(read_root_attributes(path)) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError({path_, 0, 0}, "", message);
  }

  bool has(const std::string& name) const { return values_.count(name) > 0; }

  const std::string& text(const std::string& name) const {
    const auto it = values_.find(name);
    if (it == values_.end())
      fail("expected the attribute " + name + " of a divsim file, found none");
    return it->second;
  }

 private:
  std::string path_;
  std::map<std::string, std::string> values_;
};

/** Runs this executable with `args`, its stdout discarded; returns its exit code. */
int run_self(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  argv.push_back(const_cast<char*>(self.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw RuntimeFailure("reproduce: cannot start divsim");
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDOUT_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/** Each `PATH sha256 HEX` line whose file is missing or has other bytes now. */
std::vector<std::string> changed_inputs(const std::string& lines) {
  std::vector<std::string> changed;
  std::istringstream in(lines);
  std::string path, word, digest;
  while (in >> path >> word >> digest) {
    if (!fs::is_regular_file(path)) {
      changed.push_back(path + ": missing");
    } else if (file_sha256(path) != digest) {
      changed.push_back(path + ": changed since the file was written");
    }
  }
  return changed;
}

}  // namespace

int command_reproduce(int argc, char** argv) {
  cxxopts::Options options("divsim reproduce",
                           "re-run what a run or batch file records and check that every data "
                           "variable is bit-identical");
  options.positional_help("FILE");
  options.add_options()("file", "run file or batch file", cxxopts::value<std::string>())(
      "threads", "worker threads (default: all cores)", cxxopts::value<int>())(
      "q,quiet", "no progress or log lines on stderr")("h,help", "this help");
  options.parse_positional({"file"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::fputs(options.help().c_str(), stdout);
    return kExitOk;
  }
  if (!args.count("file")) {
    print_error(
        "reproduce: expected a run or batch file, found none (see divsim reproduce --help)");
    return kExitBadInput;
  }
  const bool quiet = args.count("quiet") > 0;
  const std::string path = args["file"].as<std::string>();
  const int threads =
      threads_option(args.count("threads") ? args["threads"].as<int>() : 0, args.count("threads"));
  if (threads == 0) return kExitBadInput;

  std::vector<std::string> rerun;
  std::string recipe, inputs, commit;
  {
    const Attributes a(path);
    const std::string title = a.text("title");
    const bool batch = title.rfind("divsim batch: ", 0) == 0;
    if (!batch && title.rfind("divsim run: ", 0) != 0) {
      a.fail("expected a divsim run or batch file, found " + in_quotes(title));
    }
    recipe = a.text(batch ? "batch_file" : "scenario_file");
    const std::string digest = a.text(batch ? "batch_sha256" : "scenario_sha256");
    if (!fs::is_regular_file(recipe)) {
      a.fail("expected its " + std::string(batch ? "batch" : "scenario") + " file " + recipe +
             " (relative to the folder it ran in), found none");
    }
    if (file_sha256(recipe) != digest) {
      std::printf("not reproducible: %s has changed since %s was written\n", recipe.c_str(),
                  path.c_str());
      return kExitFailure;
    }
    inputs = a.text("input_files");
    commit = a.text("git_commit");
    if (batch) {
      rerun = {"batch", recipe, "--agents", a.text("agents")};
      if (a.has("shard")) rerun.insert(rerun.end(), {"--shard", a.text("shard")});
    } else {
      rerun = {"run",    recipe,         "--agents",    a.text("agents"),
               "--seed", a.text("seed"), "--replicate", a.text("replicate")};
    }
  }
  if (const auto changed = changed_inputs(inputs); !changed.empty()) {
    std::printf("not reproducible: its inputs have changed\n");
    for (const auto& c : changed) std::printf("  %s\n", c.c_str());
    return kExitFailure;
  }
  if (commit != git_commit()) {
    log(quiet,
        "note: the file was written by commit " + commit + ", this divsim is " + git_commit());
  }

  std::string scratch_template = (fs::temp_directory_path() / "divsim-reproduce-XXXXXX").string();
  if (!mkdtemp(scratch_template.data())) throw RuntimeFailure("reproduce: cannot make a folder");
  const fs::path scratch(scratch_template);
  const std::string again = (scratch / "again.h5").string();
  rerun.insert(rerun.end(), {"-o", again, "--threads", std::to_string(threads), "--force"});
  if (quiet) rerun.push_back("-q");
  log(
      quiet, "reproduce: divsim " + [&] {
        std::string line;
        for (const auto& a : rerun) line += (line.empty() ? "" : " ") + a;
        return line;
      }());
  const int code = run_self(rerun);
  if (code != 0) {
    fs::remove_all(scratch);
    print_error("reproduce: the re-run failed with exit code " + std::to_string(code));
    return kExitFailure;
  }
  const DataComparison result = compare_data(path, again);
  fs::remove_all(scratch);
  if (result.differences.empty()) {
    std::printf("reproduced: all %zu data variables of %s are bit-identical\n", result.variables,
                path.c_str());
    return kExitOk;
  }
  std::printf("not reproduced: %zu of %zu data variables of %s differ\n", result.differences.size(),
              result.variables, path.c_str());
  for (const auto& d : result.differences) std::printf("  %s\n", d.c_str());
  return kExitFailure;
}

}  // namespace divsim::cli
