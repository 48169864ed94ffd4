// Sorting agents into neighbourhoods, and renumbering them in that order.
#include "divsim/world/neighbourhood.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>
#include <type_traits>
#include <utility>

#include "core/huge_pages.h"

namespace divsim {
namespace {

using Range = tbb::blocked_range<std::size_t>;

}  // namespace

// A counting sort over (place, band) buckets, then each bucket sorted on (income, id) packed into
// 64 bits; positive floats order as their bit patterns.
std::vector<std::uint32_t> neighbourhood_order(const Agents& a, std::size_t regions,
                                               std::vector<std::size_t>* place_start) {
  const std::size_t places = 2 * regions;
  const std::size_t n = a.size();
  const std::size_t buckets = places * kAgeBands;
  auto bucket_of = [&](std::size_t i) {
    return a.place(i) * kAgeBands + static_cast<std::size_t>(age_band_of(a.age_months[i] / 12));
  };
  std::vector<std::size_t> start(buckets + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++start[bucket_of(i) + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  if (place_start) {
    place_start->assign(places + 1, 0);
    for (std::size_t p = 0; p <= places; ++p) (*place_start)[p] = start[p * kAgeBands];
  }
  auto key = [&](std::size_t i) {
    return std::pair(bucket_of(i), std::bit_cast<std::uint32_t>(a.income[i]));
  };
  const bool ordered = tbb::parallel_reduce(
      Range(1, std::max<std::size_t>(n, 1)), true,
      [&](const Range& r, bool ok) {
        for (std::size_t i = r.begin(); ok && i != r.end(); ++i) ok = !(key(i) < key(i - 1));
        return ok;
      },
      [](bool x, bool y) { return x && y; });
  if (ordered) return {};
  auto packed = detail::huge_page_vector<std::uint64_t>(n);
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t income = std::bit_cast<std::uint32_t>(a.income[i]);
      packed[next[bucket_of(i)]++] = income << 32 | static_cast<std::uint64_t>(i);
    }
  }
  tbb::parallel_for(Range(0, buckets, 1), [&](const Range& r) {
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      std::sort(packed.begin() + static_cast<std::ptrdiff_t>(start[b]),
                packed.begin() + static_cast<std::ptrdiff_t>(start[b + 1]));
    }
  });
  auto order = detail::huge_page_vector<std::uint32_t>(n);
  tbb::parallel_for(Range(0, n), [&](const Range& r) {
    for (std::size_t k = r.begin(); k != r.end(); ++k)
      order[k] = static_cast<std::uint32_t>(packed[k]);
  });
  return order;
}

void permute(Agents& agents, const std::vector<std::uint32_t>& order) {
  // Gathered into one scratch buffer of bytes and copied back, element by element with memcpy
  // (well defined for any trivially copyable type): the arrays keep their memory and capacity.
  const std::size_t n = order.size();
  std::vector<unsigned char> scratch;
  detail::reserve_in_huge_pages(scratch, n * sizeof(std::uint64_t));
  scratch.resize(n * sizeof(std::uint64_t));
  agents.for_each_array([&](auto& array) {
    using T = typename std::remove_reference_t<decltype(array)>::value_type;
    static_assert(sizeof(T) <= sizeof(std::uint64_t) && std::is_trivially_copyable_v<T>);
    if (array.size() != n) return;  // programme state not allocated
    unsigned char* const gathered = scratch.data();
    tbb::parallel_for(Range(0, n), [&](const Range& r) {
      for (std::size_t k = r.begin(); k != r.end(); ++k) {
        std::memcpy(gathered + k * sizeof(T), &array[order[k]], sizeof(T));
      }
    });
    if (n > 0) std::memcpy(array.data(), gathered, n * sizeof(T));
  });
}

}  // namespace divsim
