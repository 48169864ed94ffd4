// Building the homophilous small-world network: a ring over people sorted by age and income within
// each place, with random contacts mixed in, assembled into a CSR graph.
#include "divsim/world/social_network.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>

#include <algorithm>
#include <numeric>
#include <utility>
#include <vector>

#include "divsim/world/strata.h"

namespace divsim {

SocialNetwork::SocialNetwork(const Agents& a, std::size_t regions, const ParameterSet& params,
                             const RandomKey& key)
    : agents_(a.size()) {
  const std::size_t n = a.size();
  const int half = std::max(1, static_cast<int>(params.get("network.mean_degree") / 2 + 0.5));
  const double p_place = params.get("network.random_in_place");
  const double p_region = params.get("network.random_in_region");

  // Sort each place's people by age band, then income: neighbours in this order are alike.
  const std::size_t places = 2 * regions;
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  auto place = [&](std::uint32_t i) {
    return 2 * static_cast<std::size_t>(a.region[i]) + ((a.traits[i] & trait::rural) ? 1 : 0);
  };
  tbb::parallel_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const auto px = place(x), py = place(y);
    if (px != py) return px < py;
    const int bx = age_band_of(a.age_months[x] / 12), by = age_band_of(a.age_months[y] / 12);
    if (bx != by) return bx < by;
    if (a.income[x] != a.income[y]) return a.income[x] < a.income[y];
    return x < y;
  });
  std::vector<std::size_t> place_start(places + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++place_start[place(i) + 1];
  std::partial_sum(place_start.begin(), place_start.end(), place_start.begin());

  // Each agent proposes `half` contacts: the next people in the sorted order, or random ones.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges(2 * n * half);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n), [&](const auto& r) {
    for (std::size_t k = r.begin(); k != r.end(); ++k) {
      const std::uint32_t self = order[k];
      const std::size_t p = place(self);
      const std::size_t lo = place_start[p], size = place_start[p + 1] - lo;
      const std::size_t other = p ^ 1;  // the region's other area
      const std::size_t other_lo = place_start[other];
      const std::size_t other_size = place_start[other + 1] - other_lo;
      for (int j = 0; j < half; ++j) {
        const auto w = random_words(key, self, 0, Purpose::network, static_cast<std::uint64_t>(j));
        const double u = open_unit(w[0]);
        std::uint32_t target;
        if (u < p_region && other_size > 0) {
          target = order[other_lo + w[1] % other_size];
        } else if (u < p_region + p_place || size <= 1) {
          target = order[lo + w[1] % size];
        } else {
          target = order[lo + (k - lo + 1 + j) % size];
        }
        if (target == self) target = order[lo + (k - lo + 1) % size];  // no self-contacts
        edges[2 * (k * half + j)] = {self, target};
        edges[2 * (k * half + j) + 1] = {target, self};
      }
    }
  });
  graph_ = Graph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), n);
}

}  // namespace divsim
