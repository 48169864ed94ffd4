// Building the homophilous small-world network: a ring over people sorted by age and income within
// each place, with random contacts mixed in, assembled in parallel into Boost's CSR arrays.
#include "divsim/world/social_network.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

#include "core/huge_pages.h"
#include "divsim/core/error.h"
#include "divsim/world/neighbourhood.h"
#include "divsim/world/strata.h"

namespace divsim {

using Range = tbb::blocked_range<std::size_t>;

namespace {

/** A number in [0, bound) from 64 random bits, by multiplication rather than a slow division. */
// Proposers are handled in chunks, and the targets of random proposals in buckets, of fixed sizes.
constexpr std::size_t kChunk = std::size_t{1} << 16;
constexpr std::size_t kBucket = std::size_t{1} << 17;

/** `x` modulo `size`, for x within a few multiples of size: no division in the hot loops. */
std::size_t wrap(std::ptrdiff_t x, std::size_t size) {
  const auto m = static_cast<std::ptrdiff_t>(size);
  while (x >= m) x -= m;
  while (x < 0) x += m;
  return static_cast<std::size_t>(x);
}

std::uint64_t pick_below(std::uint64_t bits, std::uint64_t bound) {
  __extension__ using Wide = unsigned __int128;  // GCC and Clang; the product needs 128 bits
  return static_cast<std::uint64_t>((static_cast<Wide>(bits) * bound) >> 64);
}

}  // namespace

SocialNetwork::SocialNetwork(const Agents& a, std::size_t regions, const ParameterSet& params,
                             const RandomKey& key)
    : agents_(a.size()) {
  const std::size_t n = a.size();
  const std::size_t half =
      std::max(1, static_cast<int>(params.get("network.mean_degree") / 2 + 0.5));
  const double p_place = params.get("network.random_in_place");
  const double p_region = params.get("network.random_in_region");
  if (2 * n * half > std::numeric_limits<std::uint32_t>::max()) {
    throw RuntimeFailure("network: " + std::to_string(2 * n * half) +
                         " contacts exceed the 32-bit edge index; use fewer agents or a lower "
                         "network.mean_degree");
  }

  // Synthesis stores agents in this order already (the sort is then skipped), so contacts are
  // mostly near each other in memory; any other agents are sorted here.
  std::vector<std::size_t> place_start;
  const std::vector<std::uint32_t> sorted = neighbourhood_order(a, regions, &place_start);
  const bool identity = sorted.empty();
  const std::uint32_t* const sorted_ids = sorted.data();
  auto order_at = [=](std::size_t k) {
    return identity ? static_cast<std::uint32_t>(k) : sorted_ids[k];
  };

  // Each agent proposes `half` contacts: the next people in the ring, or random ones. Proposals
  // are stored by proposer id; every proposal is a contact both ways. The ring's proposals are
  // found again from the receiving side; the others (random, or redirected from oneself) are
  // sorted into buckets of targets, so that each bucket's targets can be served by one task.
  auto proposed = detail::huge_page_vector<std::uint32_t>(n * half);
  auto ring_target = [&](std::size_t k, std::size_t lo, std::size_t size, std::size_t j) {
    return order_at(lo + wrap(static_cast<std::ptrdiff_t>(k - lo + 1 + j), size));
  };
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  const std::size_t buckets = (n + kBucket - 1) / kBucket;
  std::vector<std::size_t> bucket_count(chunks * buckets + 1, 0);
  tbb::parallel_for(Range(0, chunks, 1), [&](const Range& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      std::size_t* const counts = bucket_count.data() + c * buckets;
      for (std::size_t k = c * kChunk; k < std::min(n, (c + 1) * kChunk); ++k) {
        const std::uint32_t self = order_at(k);
        const std::size_t p = a.place(self);
        const std::size_t lo = place_start[p], size = place_start[p + 1] - lo;
        const std::size_t other = p ^ 1;  // the region's other area
        const std::size_t other_lo = place_start[other];
        const std::size_t other_size = place_start[other + 1] - other_lo;
        std::array<std::uint64_t, 4> w{};
        for (std::size_t j = 0; j < half; ++j) {
          if (j % 2 == 0) w = random_words(key, self, 0, Purpose::network, j / 2);
          const double u = open_unit(w[2 * (j % 2)]);
          const std::uint64_t pick = w[2 * (j % 2) + 1];
          const std::uint32_t ring = ring_target(k, lo, size, j);
          std::uint32_t target;
          if (u < p_region && other_size > 0) {
            target = order_at(other_lo + pick_below(pick, other_size));
          } else if (u < p_region + p_place || size <= 1) {
            target = order_at(lo + pick_below(pick, size));
          } else {
            target = ring;
          }
          if (target == self) target = ring_target(k, lo, size, 0);  // no self-contacts
          proposed[self * half + j] = target;
          if (target != ring) ++counts[target / kBucket];
        }
      }
    }
  });
  // Bucket-major offsets; within a bucket, proposals in proposer order: the same on any threads.
  std::vector<std::size_t> bucket_offset(chunks * buckets + 1, 0);
  for (std::size_t q = 0, at = 0; q < buckets; ++q) {
    for (std::size_t c = 0; c < chunks; ++c) {
      bucket_offset[c * buckets + q] = at;
      at += bucket_count[c * buckets + q];
    }
    bucket_count[chunks * buckets] = at;  // the total, once the loop ends
  }
  struct Pair {
    std::uint32_t target, source;
  };
  std::vector<std::size_t> bucket_begin(buckets + 1, bucket_count[chunks * buckets]);
  for (std::size_t q = 0; q < buckets && chunks > 0; ++q) bucket_begin[q] = bucket_offset[q];
  auto pairs = detail::huge_page_vector<Pair>(bucket_count[chunks * buckets]);
  tbb::parallel_for(Range(0, chunks, 1), [&](const Range& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      std::size_t* const next = bucket_offset.data() + c * buckets;
      for (std::size_t k = c * kChunk; k < std::min(n, (c + 1) * kChunk); ++k) {
        const std::uint32_t self = order_at(k);
        const std::size_t p = a.place(self);
        const std::size_t lo = place_start[p], size = place_start[p + 1] - lo;
        for (std::size_t j = 0; j < half; ++j) {
          const std::uint32_t target = proposed[self * half + j];
          if (target != ring_target(k, lo, size, j))
            pairs[next[target / kBucket]++] = {target, self};
        }
      }
    }
  });
  auto received_random = detail::huge_page_vector<std::uint32_t>(n, 0);
  tbb::parallel_for(Range(0, buckets, 1), [&](const Range& r) {
    for (std::size_t q = r.begin(); q != r.end(); ++q) {
      for (std::size_t e = bucket_begin[q]; e < bucket_begin[q + 1]; ++e)
        ++received_random[pairs[e].target];
    }
  });

  // The ring proposals an agent received: from the agent j + 1 places before it, at slot j.
  auto ring_sources = [&](std::size_t k, auto&& visit) {
    const std::uint32_t self = order_at(k);
    const std::size_t p = a.place(self);
    const std::size_t lo = place_start[p], size = place_start[p + 1] - lo;
    for (std::size_t j = 0; j < half; ++j) {
      const std::size_t from =
          lo + wrap(static_cast<std::ptrdiff_t>(k - lo) - 1 - static_cast<std::ptrdiff_t>(j), size);
      const std::uint32_t source = order_at(from);
      if (source != self && proposed[source * half + j] == self) visit(source);
    }
  };
  auto degree = detail::huge_page_vector<std::uint32_t>(n, 0);
  tbb::parallel_for(Range(0, n), [&](const Range& r) {
    for (std::size_t k = r.begin(); k != r.end(); ++k) {
      std::uint32_t ring = 0;
      ring_sources(k, [&](std::uint32_t) { ++ring; });
      const std::uint32_t self = order_at(k);
      degree[self] = static_cast<std::uint32_t>(half) + ring + received_random[self];
    }
  });

  // Rows: the agent's own proposals, the ring proposals it received, then the others it received
  // in bucket order.
  auto row_start = detail::huge_page_vector<std::uint32_t>(n + 1);
  row_start[0] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // Contact counts are 16-bit (Agents::online_contacts): a tiny area next to a big one, with
    // many contacts drawn across areas, could otherwise overflow them.
    if (degree[i] > std::numeric_limits<std::uint16_t>::max()) {
      throw RuntimeFailure("network: an agent has " + std::to_string(degree[i]) +
                           " contacts, more than 65535; lower network.mean_degree or "
                           "network.random_in_region, or use more agents");
    }
    row_start[i + 1] = row_start[i] + degree[i];
  }
  auto column = detail::huge_page_vector<std::uint32_t>(row_start[n]);
  tbb::parallel_for(Range(0, n), [&](const Range& r) {
    for (std::size_t k = r.begin(); k != r.end(); ++k) {
      const std::uint32_t self = order_at(k);
      std::uint32_t* out = column.data() + row_start[self];
      out = std::copy_n(proposed.data() + self * half, half, out);
      ring_sources(k, [&](std::uint32_t source) { *out++ = source; });
      degree[self] = static_cast<std::uint32_t>(out - column.data());  // next free slot
    }
  });
  std::vector<std::uint32_t>().swap(proposed);
  tbb::parallel_for(Range(0, buckets, 1), [&](const Range& r) {
    for (std::size_t q = r.begin(); q != r.end(); ++q) {
      for (std::size_t e = bucket_begin[q]; e < bucket_begin[q + 1]; ++e) {
        column[degree[pairs[e].target]++] = pairs[e].source;
      }
    }
  });
  // The arrays are exactly Boost's CSR layout; they are moved in rather than rebuilt from an edge
  // list, which would need twice the memory and a serial pass.
  graph_.m_forward.m_rowstart.swap(row_start);
  graph_.m_forward.m_column.swap(column);
}

}  // namespace divsim
