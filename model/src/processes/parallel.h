// Parallel loops over agents whose result never depends on the thread count.
#pragma once

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <cstddef>

namespace divsim::detail {

/** Calls `body(begin, end)` over [0, n) in parallel; each agent must only touch its own slots. */
template <typename Body>
void for_agents(std::size_t n, const Body& body) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096),
                    [&](const tbb::blocked_range<std::size_t>& r) { body(r.begin(), r.end()); });
}

/** An exponential(1) variate from the agent's counter: the hazard its next event needs. */
inline float exponential_clock(const RandomKey& key, std::uint64_t agent, std::uint64_t step,
                               Purpose purpose) {
  return static_cast<float>(-std::log(open_unit(random_words(key, agent, step, purpose)[0])));
}

}  // namespace divsim::detail
