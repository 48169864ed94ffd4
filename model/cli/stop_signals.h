// SIGINT and SIGTERM (an interactive stop, a wall-time limit, a pre-emption) turn into a flag the
// simulation checks between steps, so that a command stops at a consistent point.
#pragma once

#include <atomic>

namespace divsim::cli {

/** Installs the handlers; from then on a signal sets stop_requested(). */
void catch_stop_signals();

/** The flag the simulation polls. */
const std::atomic<bool>& stop_requested();

/** The signal that set it (0: none). */
int stop_signal();

}  // namespace divsim::cli
