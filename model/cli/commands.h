// The subcommands of the divsim executable; each returns the process exit code.
#pragma once

#include <string>

namespace divsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

int command_run(int argc, char** argv, const std::string& command_line);
int command_validate(int argc, char** argv);
int command_params(int argc, char** argv);
int command_list(int argc, char** argv);
int command_compare(int argc, char** argv);
int command_calibrate(int argc, char** argv, const std::string& command_line);
int command_batch(int argc, char** argv, const std::string& command_line);
int command_merge(int argc, char** argv, const std::string& command_line);
int command_reproduce(int argc, char** argv);

/**
 * The worker threads a command uses: `--threads` (checked: 1 to 4096; 0 after printing an error
 * when out of range), else every core.
 */
int threads_option(int requested, bool given);

/** Prints an error as `divsim: message` on stderr. */
void print_error(const std::string& message);

}  // namespace divsim::cli
