// A monthly process: one replaceable unit of the model, run once per step in a fixed order.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "divsim/params/parameter_table.h"
#include "divsim/sim/world.h"

namespace divsim {

/**
 * A process reads its parameters when constructed (the model is then frozen), prepares its state
 * in initialize(), and advances the world by one month in step(). Processes run in the order of
 * model/src/processes/processes.inc, documented in docs/ODD.md.
 */
class Process {
 public:
  virtual ~Process() = default;
  virtual std::string_view name() const = 0;
  virtual void initialize(World&) {}
  virtual void step(World& world) = 0;
};

/** Every process, in execution order. */
std::vector<std::unique_ptr<Process>> make_processes(const ParameterSet& params);

/** The names of the registered processes, in execution order. */
std::vector<std::string> process_names();

}  // namespace divsim
