// Large arrays in huge pages: far fewer page faults when they are first touched.
#pragma once

#include <cstddef>
#include <vector>

namespace divsim::detail {

/**
 * Advises the kernel to back [data, data + bytes) with transparent huge pages, where the range
 * covers whole 2 MiB pages. Only advice: without THP support nothing changes but the speed.
 */
void advise_huge_pages(const void* data, std::size_t bytes) noexcept;

/**
 * Reserves room for `n` elements and advises huge pages before anything is written to it: a
 * vector's first touch of a large array otherwise faults once per 4 KiB page.
 */
template <typename T, typename A>
void reserve_in_huge_pages(std::vector<T, A>& v, std::size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

/** A vector of `n` copies of `value`, in huge pages where it is large enough. */
template <typename T>
std::vector<T> huge_page_vector(std::size_t n, const T& value = T()) {
  std::vector<T> v;
  reserve_in_huge_pages(v, n);
  v.resize(n, value);
  return v;
}

}  // namespace divsim::detail
