// Deterministic blocked reduction of the per-stratum measures.
#include "divsim/output/tally.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>

namespace divsim {
namespace {

// Age band by age in months, so the tally needs no search.
constexpr int kBandLookupMonths = 12 * kMaxAgeYears;
constexpr auto kBandOfMonth = [] {
  std::array<std::uint8_t, kBandLookupMonths> table{};
  for (int m = 0; m < kBandLookupMonths; ++m) table[m] = static_cast<std::uint8_t>(age_band_of(m / 12));
  return table;
}();

}  // namespace

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
        const std::uint8_t st = a.status[i];
        if (!(st & status::alive)) continue;
        const std::uint8_t t = a.traits[i];
        const int age = a.age_months[i];
        const int band = age < kBandLookupMonths ? kBandOfMonth[age] : kAgeBands - 1;
        const int s = stratum_index({a.income_group[i], (t & trait::rural) ? 1 : 0,
                                     (t & trait::male) ? 1 : 0, band,
                                     (t & trait::disability) ? 1 : 0});
        const double w = a.weight[i];
        const bool adult = age >= 120;
        const int cov = a.coverage[i];
        // One stratum's measures sit together ([stratum][measure]): one or two cache lines.
        static_assert(static_cast<int>(Measure::basic_skills) == 8 && kMeasures == 9);
        double* m = sums + s * kMeasures;
        m[0] += w;
        m[1] += adult ? w : 0.0;
        m[2] += (st & status::internet_user) ? w : 0.0;
        m[3] += (adult && (st & status::mobile_owner)) ? w : 0.0;
        m[4] += cov >= 1 ? w : 0.0;
        m[5] += cov >= 2 ? w : 0.0;
        m[6] += cov >= 3 ? w : 0.0;
        m[7] += cov >= 4 ? w : 0.0;
        m[8] += a.skill[i] >= 1 ? w : 0.0;
        double* place = place_sums + kPlaceMeasures * place_of(a.region[i], a.traits[i] & trait::rural);
        place[0] += w;
        if (st & status::internet_user) place[1] += w;
      }
    }
  });
  out.fill(0.0);
  for (std::size_t b = 0; b < blocks; ++b) {
    const double* sums = partial_.data() + b * kStride;
    for (int s = 0; s < kStrata; ++s) {
      for (int m = 0; m < kMeasures; ++m) out[m * kStrata + s] += sums[s * kMeasures + m];
    }
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
