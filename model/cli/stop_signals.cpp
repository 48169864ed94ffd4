// Handlers that only store: nothing else is async-signal-safe.
#include "stop_signals.h"

#include <csignal>

namespace divsim::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

}  // namespace

void catch_stop_signals() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

const std::atomic<bool>& stop_requested() {
  return g_stop;
}

int stop_signal() {
  return g_signal.load();
}

}  // namespace divsim::cli
