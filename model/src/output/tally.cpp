// Deterministic blocked reduction of the per-stratum measures through a (stratum, state) histogram.
#include "divsim/output/tally.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>

#include "core/huge_pages.h"

namespace divsim {
namespace {

// Age band by age in months, so the tally needs no search.
constexpr int kBandLookupMonths = 12 * kMaxAgeYears;
constexpr auto kBandOfMonth = [] {
  std::array<std::uint8_t, kBandLookupMonths> table{};
  for (int m = 0; m < kBandLookupMonths; ++m)
    table[m] = static_cast<std::uint8_t>(age_band_of(m / 12));
  return table;
}();

// The state of a living agent: age class (child under 10, adult without a phone, adult with one),
// Internet use, coverage level, basic skills. Three more states count events: born or arrived this
// month (in addition to the agent's living state) and died this month.
constexpr int kAgeClasses = 3;
constexpr int kCoverageLevels = 5;
constexpr int kLivingStates = kAgeClasses * 2 * kCoverageLevels * 2;
constexpr int kBorn = kLivingStates;
constexpr int kDied = kLivingStates + 1;
constexpr int kArrived = kLivingStates + 2;
constexpr int kStates = kLivingStates + 3;

constexpr int living_state(int age_class, int user, int coverage, int skilled) {
  return ((age_class * 2 + user) * kCoverageLevels + coverage) * 2 + skilled;
}

/** Which measures each state adds to: a row of 0/1 per state. */
constexpr auto kStateMeasures = [] {
  std::array<std::array<std::uint8_t, kMeasures>, kStates> table{};
  for (int c = 0; c < kAgeClasses; ++c) {
    for (int u = 0; u < 2; ++u) {
      for (int cov = 0; cov < kCoverageLevels; ++cov) {
        for (int k = 0; k < 2; ++k) {
          auto& m = table[living_state(c, u, cov, k)];
          m[static_cast<int>(Measure::population)] = 1;
          m[static_cast<int>(Measure::population_10plus)] = c >= 1;
          m[static_cast<int>(Measure::internet_users)] = u;
          m[static_cast<int>(Measure::mobile_owners_10plus)] = c == 2;
          m[static_cast<int>(Measure::covered_2g_plus)] = cov >= 1;
          m[static_cast<int>(Measure::covered_3g_plus)] = cov >= 2;
          m[static_cast<int>(Measure::covered_4g_plus)] = cov >= 3;
          m[static_cast<int>(Measure::covered_5g)] = cov >= 4;
          m[static_cast<int>(Measure::basic_skills)] = k;
        }
      }
    }
  }
  table[kBorn][static_cast<int>(Measure::births)] = 1;
  table[kDied][static_cast<int>(Measure::deaths)] = 1;
  table[kArrived][static_cast<int>(Measure::immigrants)] = 1;
  return table;
}();

// The stratum of an agent in age band 0, by income group and trait bits (rural, male,
// disability); each age band adds kDisabilityStates.
constexpr auto kStratumBase = [] {
  std::array<std::array<std::uint8_t, 8>, kIncomeGroups> table{};
  for (int g = 0; g < kIncomeGroups; ++g) {
    for (int t = 0; t < 8; ++t) {
      table[g][t] = static_cast<std::uint8_t>(
          stratum_index({g, (t & trait::rural) ? 1 : 0, (t & trait::male) ? 1 : 0, 0,
                         (t & trait::disability) ? 1 : 0}));
    }
  }
  return table;
}();
static_assert(kStrata <= 256 && trait::rural == 1 && trait::male == 2 && trait::disability == 4);
static_assert(stratum_index({0, 0, 0, 1, 0}) - stratum_index({0, 0, 0, 0, 0}) == kDisabilityStates);

// The living state by a 7-bit code: aged 10+ (bit 6), status bits owner and user (bits 5-4),
// skilled (bit 3), coverage level (bits 2-0).
static_assert(status::internet_user == 1 && status::mobile_owner == 2);
constexpr auto kStateOfCode = [] {
  std::array<std::uint8_t, 128> table{};
  for (int code = 0; code < 128; ++code) {
    const int adult = code >> 6, owner = (code >> 5) & 1, user = (code >> 4) & 1;
    const int skilled = (code >> 3) & 1, coverage = std::min(code & 7, kCoverageLevels - 1);
    const int age_class = adult ? (owner ? 2 : 1) : 0;
    table[code] = static_cast<std::uint8_t>(living_state(age_class, user, coverage, skilled));
  }
  return table;
}();

// One histogram per slot: a few agents in a row share a bin and chain their sums through memory,
// but a second histogram per slot cost more in clearing and adding than it saved.
constexpr std::size_t kSlotStride = std::size_t{kStrata} * kStates;

}  // namespace

Tally::Tally(std::size_t regions) : places_(2 * regions), bins_(kSlotStride) {}

void Tally::reserve(std::size_t slots) {
  const std::size_t place_slot = places_ * kPlaceMeasures;
  if (partial_.size() >= slots * kSlotStride) return;
  detail::reserve_in_huge_pages(partial_, (slots + slots / 4 + 1) * kSlotStride);  // births to come
  partial_.resize(slots * kSlotStride);
  partial_places_.resize(slots * place_slot);
}

void Tally::add(const Agents& a, int step, std::size_t slot, std::size_t begin, std::size_t end,
                bool first) {
  const std::size_t place_stride = places_ * kPlaceMeasures;
  double* const hist = partial_.data() + slot * kSlotStride;
  double* const place_sums = partial_places_.data() + slot * place_stride;
  if (first) {
    std::fill(hist, hist + kSlotStride, 0.0);
    std::fill(place_sums, place_sums + place_stride, 0.0);
  }
  // Raw pointers in locals: the compiler can then keep them in registers across the sums.
  const std::uint8_t* const status = a.status.data();
  const std::uint8_t* const traits = a.traits.data();
  const std::uint8_t* const group = a.income_group.data();
  const std::uint8_t* const coverage = a.coverage.data();
  const std::uint8_t* const skill = a.skill.data();
  const std::uint16_t* const age = a.age_months.data();
  const std::uint16_t* const region = a.region.data();
  const std::uint16_t* const death = a.death_month.data();
  const double* const weight = a.weight.data();
  const int born_age = step > 0 ? 0 : -1;  // nobody is born before the first step
  for (std::size_t i = begin; i < end; ++i) {
    const std::uint8_t st = status[i];
    const std::uint8_t t = traits[i];
    const int months = age[i];
    const int band = kBandOfMonth[std::min(months, kBandLookupMonths - 1)];
    const int s = kStratumBase[group[i]][t & 7] + band * kDisabilityStates;
    double* const bins = hist + s * kStates;
    const double w = weight[i];
    if (!(st & status::alive)) {
      if (death[i] == step) bins[kDied] += w;
      continue;
    }
    const int code =
        (months >= 120 ? 64 : 0) | (st & 3) << 4 | (skill[i] != 0 ? 8 : 0) | coverage[i];
    bins[kStateOfCode[code]] += w;
    if (months == born_age) bins[kBorn] += w;
    if (st & status::arrived) bins[kArrived] += w;
    double* const place = place_sums + kPlaceMeasures * place_of(region[i], t & trait::rural);
    place[0] += w;
    place[1] += (st & status::internet_user) ? w : 0.0;
  }
}

void Tally::reduce(std::size_t slots, StratumCounts& out, std::vector<double>* places) {
  // Each bin adds its slots in the same order whatever thread takes it.
  using Range = tbb::blocked_range<std::size_t>;
  tbb::parallel_for(Range(0, kSlotStride, 1024), [&](const Range& r) {
    for (std::size_t k = r.begin(); k != r.end(); ++k) bins_[k] = 0.0;
    for (std::size_t b = 0; b < slots; ++b) {
      const double* hist = partial_.data() + b * kSlotStride;
      for (std::size_t k = r.begin(); k != r.end(); ++k) bins_[k] += hist[k];
    }
  });
  out.fill(0.0);
  for (int s = 0; s < kStrata; ++s) {
    for (int state = 0; state < kStates; ++state) {
      const double w = bins_[s * kStates + state];
      if (w == 0.0) continue;
      for (int m = 0; m < kMeasures; ++m) {
        if (kStateMeasures[state][m]) out[m * kStrata + s] += w;
      }
    }
  }
  if (places) {
    const std::size_t place_stride = places_ * kPlaceMeasures;
    places->assign(place_stride, 0.0);
    for (std::size_t b = 0; b < slots; ++b) {
      const double* sums = partial_places_.data() + b * place_stride;
      for (std::size_t k = 0; k < place_stride; ++k) (*places)[k] += sums[k];
    }
  }
}

void Tally::count(const Agents& a, int step, StratumCounts& out, std::vector<double>* places) {
  const std::size_t n = a.size();
  const std::size_t chunks = (n + kAgentChunk - 1) / kAgentChunk;
  reserve(chunks);
  using Range = tbb::blocked_range<std::size_t>;
  tbb::parallel_for(Range(0, chunks, 1), [&](const Range& r) {
    for (std::size_t c = r.begin(); c != r.end(); ++c) {
      add(a, step, c, c * kAgentChunk, std::min(n, (c + 1) * kAgentChunk), true);
    }
  });
  reduce(chunks, out, places);
}

}  // namespace divsim
