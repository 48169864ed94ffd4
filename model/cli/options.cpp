// Options several commands share.
#include <algorithm>
#include <string>
#include <thread>

#include "commands.h"

namespace divsim::cli {

int threads_option(int requested, bool given) {
  if (!given) return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (requested < 1 || requested > 4096) {
    print_error("--threads: expected an integer in [1, 4096], found " + std::to_string(requested));
    return 0;
  }
  return requested;
}

}  // namespace divsim::cli
