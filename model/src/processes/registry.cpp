// The process registry, filled from processes.inc: one registration line per process.
#include "divsim/processes/process.h"
#include "policy/policy.h"
#include "processes/adoption.h"
#include "processes/coverage.h"
#include "processes/demography.h"
#include "processes/economy.h"
#include "processes/skills.h"

namespace divsim {

std::vector<std::unique_ptr<Process>> make_processes(const ParameterSet& params) {
  std::vector<std::unique_ptr<Process>> out;
#define DIVSIM_PROCESS(key, Class) out.push_back(std::make_unique<detail::Class>(params));
#include "processes/processes.inc"
#undef DIVSIM_PROCESS
  return out;
}

std::vector<std::string> process_names() {
  std::vector<std::string> out;
#define DIVSIM_PROCESS(key, Class) out.emplace_back(#key);
#include "processes/processes.inc"
#undef DIVSIM_PROCESS
  return out;
}

}  // namespace divsim
