// Counter-based random numbers: every draw is a pure function of (seed, replicate) and
// (agent id, step, purpose), so results never depend on thread count or order.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>

namespace divsim {

/**
 * What a draw is for. Each decision has its own purpose so that adding a module never shifts
 * another module's numbers. Append only: never renumber.
 */
enum class Purpose : std::uint64_t {
  start_age = 1,
  start_remoteness = 2,
  start_internet = 3,
  start_mobile = 4,
  start_skills = 5,
  start_income = 6,
  network = 7,
  death = 8,
  birth = 9,
  school = 10,
  adoption_clock = 11,
  skill_clock = 12,
  device_clock = 13,
  migration = 14,
  programme_queue = 15,       // an agent's place in the programmes' queues
  programme_round = 16,       // how a programme reorders its queue for each round through it
  programme_effect = 17,      // completion of a course, acceptance of an offer
  calibration_proposal = 18,  // parameter sets proposed by the posterior sampler
  calibration_design = 19,    // the calibration's initial Latin hypercube
  batch_design = 20,          // a batch's Latin hypercube over named parameters
  test_only = 1000,
};

/** The key of a run's random stream: the seed and the replicate. */
struct RandomKey {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;
};

/** Four independent 64-bit words for (agent, step, purpose, block), Philox4x64-10. */
inline std::array<std::uint64_t, 4> random_words(const RandomKey& key, std::uint64_t agent,
                                                 std::uint64_t step, Purpose purpose,
                                                 std::uint64_t block = 0) {
  r123::Philox4x64 generator;
  const r123::Philox4x64::key_type k = {{key.seed, key.replicate}};
  const r123::Philox4x64::ctr_type c = {{agent, step, static_cast<std::uint64_t>(purpose), block}};
  const auto r = generator(c, k);
  return {r[0], r[1], r[2], r[3]};
}

/** Maps 64 random bits to a double strictly inside (0, 1), on a grid of step 2^-52. */
inline double open_unit(std::uint64_t bits) {
  // 52 bits, not 53: (2^53 - 1) + 0.5 is not a double and would round up to exactly 1.
  return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
}

/** Standard normal quantile (Acklam's rational approximation, |relative error| < 1.2e-9). */
double normal_quantile(double p);

}  // namespace divsim
