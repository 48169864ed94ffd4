// Deterministic blocked reduction of the per-stratum measures.
#include "divsim/output/tally.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>

namespace divsim {

Tally::Tally(std::size_t agents, std::size_t regions)
    : places_(2 * regions),
      partial_(((agents + kBlock - 1) / kBlock) * kMeasures * kStrata),
      partial_places_(((agents + kBlock - 1) / kBlock) * places_ * kPlaceMeasures) {}

void Tally::count(const Agents& a, StratumCounts& out, std::vector<double>* places) {
  const std::size_t n = a.size();
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  constexpr std::size_t kStride = std::size_t{kMeasures} * kStrata;
  const std::size_t place_stride = places_ * kPlaceMeasures;
  if (partial_.size() < blocks * kStride) {  // the population grew past the last block
    partial_.resize(blocks * kStride);
    partial_places_.resize(blocks * place_stride);
  }
  using Range = tbb::blocked_range<std::size_t>;
  tbb::parallel_for(Range(0, blocks, 1), [&](const Range& r) {
    for (std::size_t b = r.begin(); b != r.end(); ++b) {
      double* sums = partial_.data() + b * kStride;
      std::fill(sums, sums + kStride, 0.0);
      double* place_sums = partial_places_.data() + b * place_stride;
      std::fill(place_sums, place_sums + place_stride, 0.0);
      const std::size_t end = std::min(n, (b + 1) * kBlock);
      for (std::size_t i = b * kBlock; i < end; ++i) {
        if (!a.alive(i)) continue;
        const int s = a.stratum(i);
        const double w = a.weight[i];
        const bool adult = a.age_months[i] >= 120;
        const std::uint8_t st = a.status[i];
        const int cov = a.coverage[i];
        auto add = [&](Measure m, bool yes) {
          if (yes) sums[static_cast<int>(m) * kStrata + s] += w;
        };
        add(Measure::population, true);
        add(Measure::population_10plus, adult);
        add(Measure::internet_users, st & status::internet_user);
        add(Measure::mobile_owners_10plus, adult && (st & status::mobile_owner));
        add(Measure::covered_2g_plus, cov >= 1);
        add(Measure::covered_3g_plus, cov >= 2);
        add(Measure::covered_4g_plus, cov >= 3);
        add(Measure::covered_5g, cov >= 4);
        add(Measure::basic_skills, a.skill[i] >= 1);
        double* place = place_sums + kPlaceMeasures * place_of(a.region[i], a.traits[i] & trait::rural);
        place[0] += w;
        if (st & status::internet_user) place[1] += w;
      }
    }
  });
  out.fill(0.0);
  for (std::size_t b = 0; b < blocks; ++b) {
    const double* sums = partial_.data() + b * kStride;
    for (std::size_t k = 0; k < kStride; ++k) out[k] += sums[k];
  }
  if (places) {
    places->assign(place_stride, 0.0);
    for (std::size_t b = 0; b < blocks; ++b) {
      const double* sums = partial_places_.data() + b * place_stride;
      for (std::size_t k = 0; k < place_stride; ++k) (*places)[k] += sums[k];
    }
  }
}

}  // namespace divsim
