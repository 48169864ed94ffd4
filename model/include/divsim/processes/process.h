// A monthly process: one replaceable unit of the model, run once per step in a fixed order.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "divsim/params/parameter_table.h"
#include "divsim/sim/world.h"

namespace divsim {

/** Agents [begin, end) of chunk `chunk` (see kAgentChunk), visited by one task. */
struct AgentRange {
  std::size_t chunk;
  std::size_t begin;
  std::size_t end;
};

/**
 * A process reads its parameters when constructed (the model is then frozen) and prepares its
 * state in initialize(). Every month the engine calls, for the processes in the order of
 * model/src/processes/processes.inc (documented in docs/ODD.md):
 *
 *  1. prepare() on each: serial work before any agent is visited (prices, frontiers);
 *  2. update() on each, block by block: every block of agents goes through all the processes in
 *     turn while it is in cache. An update may only change the agents of its range and may only
 *     read, besides them, what prepare() set and what the last observation counted;
 *  3. finish() on each: serial work once every agent was visited (births).
 */
class Process {
 public:
  virtual ~Process() = default;
  virtual std::string_view name() const = 0;
  virtual void initialize(World&) {}
  virtual void prepare(World&) {}
  virtual void update(World&, const AgentRange&) {}
  virtual void finish(World&) {}
};

/** Every process, in execution order. */
std::vector<std::unique_ptr<Process>> make_processes(const ParameterSet& params);

/** The names of the registered processes, in execution order. */
std::vector<std::string> process_names();

}  // namespace divsim
