// divsim compare: paired comparison of run files against a base run at the review milestones.
#include "commands.h"

namespace divsim::cli {

int command_compare(int, char**) {
  print_error("compare: not available yet");
  return kExitFailure;
}

}  // namespace divsim::cli
