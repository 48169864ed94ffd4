// The order in which neighbours are alike: by place, age band and income.
#pragma once

#include <cstdint>
#include <vector>

#include "divsim/world/agents.h"

namespace divsim {

/**
 * Agent ids sorted by place (region, then area), age band, income and id; empty when the agents
 * are in that order already (as synthesis leaves them). When not null, `place_start` gets the
 * position of each place's first agent, and the end. A pure function of the agents: the same on
 * any number of threads.
 */
std::vector<std::uint32_t> neighbourhood_order(const Agents& agents, std::size_t regions,
                                               std::vector<std::size_t>* place_start = nullptr);

/** Reorders the agents so that the k-th becomes the one `order[k]` was. */
void permute(Agents& agents, const std::vector<std::uint32_t>& order);

}  // namespace divsim
