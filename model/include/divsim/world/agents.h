// Agent state in structure-of-arrays form: one compact array per attribute.
#pragma once

#include <cstdint>
#include <vector>

#include "divsim/world/strata.h"

namespace divsim {

/** Network coverage where an agent lives, in generations. */
enum class Coverage : std::uint8_t { none = 0, g2 = 1, g3 = 2, g4 = 3, g5 = 4 };

/** The place (region x area) of a region's urban or rural part: 2 x region + (rural ? 1 : 0). */
inline int place_of(int region, bool rural) {
  return 2 * region + (rural ? 1 : 0);
}

/** Bits of Agents::traits. */
namespace trait {
inline constexpr std::uint8_t rural = 1 << 0;
inline constexpr std::uint8_t male = 1 << 1;
inline constexpr std::uint8_t disability = 1 << 2;
}  // namespace trait

/** Bits of Agents::status. */
namespace status {
inline constexpr std::uint8_t internet_user = 1 << 0;
inline constexpr std::uint8_t mobile_owner = 1 << 1;
inline constexpr std::uint8_t alive = 1 << 2;
inline constexpr std::uint8_t changed = 1 << 3;  // Internet use changed in this step
inline constexpr std::uint8_t arrived = 1 << 4;  // immigrated in this step
}  // namespace status

/** A month index (steps since the start) meaning "not within the run". */
inline constexpr std::uint16_t kNever = 0xFFFF;

/**
 * How the engine visits agents: in chunks of kAgentChunk, one task each, in parallel; within a
 * chunk, in blocks of kAgentBlock that go through every process in turn while they are in cache.
 * Both sizes are fixed, so whatever is summed per chunk is the same on any number of threads.
 */
inline constexpr std::size_t kAgentChunk = std::size_t{1} << 17;
inline constexpr std::size_t kAgentBlock = std::size_t{1} << 12;
static_assert(kAgentChunk % kAgentBlock == 0);

/** Digital skill levels (Agents::skill). */
enum class Skill : std::uint8_t { none = 0, basic = 1, intermediate = 2, advanced = 3 };

/**
 * The population. Agent `i` is the i-th element of every array; its id is `i` and never changes.
 * Every count reported is weighted by `weight` (persons the agent stands for).
 */
struct Agents {
  std::vector<std::uint16_t> region;
  std::vector<std::uint8_t> income_group;
  std::vector<std::uint8_t> traits;
  std::vector<std::uint16_t> age_months;
  std::vector<std::uint8_t> coverage;
  std::vector<float>
      remoteness;  // rank in (0, 1) within the agent's cell; networks reach low ranks first
  std::vector<std::uint8_t> status;
  std::vector<std::uint8_t> skill;
  std::vector<float> income;   // USD per month at the start prices and incomes
  std::vector<double> weight;  // persons

  // Scheduled events and hazard clocks: agents with nothing due are skipped.
  std::vector<std::uint16_t> death_month;      // step at which the agent dies, or kNever
  std::vector<std::uint16_t> school_month;     // step at which school gives basic skills, or kNever
  std::vector<float> adoption_clock;           // hazard left before the next adoption or lapse
  std::vector<float> skill_clock;              // hazard left before learning from peers
  std::vector<float> device_clock;             // hazard left before buying a mobile phone
  std::vector<std::uint16_t> online_contacts;  // contacts who use the Internet

  // Programme state (see docs/interventions.md), allocated only for runs whose programmes need it
  // (enable_programme_state; empty otherwise): the agent's place in every programme's queue, and
  // the data voucher it holds (a programme slot, 0 for none) with the last step it is valid at.
  std::vector<std::uint32_t> lottery;
  std::vector<std::uint8_t> voucher;
  std::vector<std::uint16_t> voucher_until;

  std::size_t size() const noexcept { return weight.size(); }
  void resize(std::size_t n);
  /** Room for `n` agents without moving the arrays (births append to them). */
  void reserve(std::size_t n);
  /** Calls `f(array)` on every attribute array. */
  template <typename F>
  void for_each_array(F&& f) {
    f(region), f(income_group), f(traits), f(age_months), f(coverage), f(remoteness), f(status);
    f(skill), f(income), f(weight), f(death_month), f(school_month), f(adoption_clock);
    f(skill_clock), f(device_clock), f(online_contacts), f(lottery), f(voucher), f(voucher_until);
  }
  bool alive(std::size_t i) const { return status[i] & status::alive; }
  bool online(std::size_t i) const { return status[i] & status::internet_user; }
  /** Bytes of state per agent (all arrays but the programme state). */
  static constexpr std::size_t bytes_per_agent() {
    return 2 * 2 + 5 + 2 * 4 + 8 + 2 * 2 + 3 * 4 + 2;
  }
  /** Bytes of programme state per agent, when allocated. */
  static constexpr std::size_t programme_bytes_per_agent() { return 4 + 1 + 2; }
  /** Allocates the programme state (zero) for every agent, with room for the births to come. */
  void enable_programme_state();

  /**
   * Raw pointers to every array, for the hot loops. Copied into a local variable, they cannot be
   * aliased by the loop's byte-sized stores, so the compiler keeps them in registers.
   */
  struct View {
    std::uint16_t* region;
    std::uint8_t* income_group;
    std::uint8_t* traits;
    std::uint16_t* age_months;
    std::uint8_t* coverage;
    float* remoteness;
    std::uint8_t* status;
    std::uint8_t* skill;
    float* income;
    double* weight;
    std::uint16_t* death_month;
    std::uint16_t* school_month;
    float* adoption_clock;
    float* skill_clock;
    float* device_clock;
    std::uint16_t* online_contacts;
    std::uint32_t* lottery;
    std::uint8_t* voucher;
    std::uint16_t* voucher_until;

    bool alive(std::size_t i) const { return status[i] & status::alive; }
    bool online(std::size_t i) const { return status[i] & status::internet_user; }
  };
  View view() noexcept {
    return {region.data(),         income_group.data(), traits.data(),       age_months.data(),
            coverage.data(),       remoteness.data(),   status.data(),       skill.data(),
            income.data(),         weight.data(),       death_month.data(),  school_month.data(),
            adoption_clock.data(), skill_clock.data(),  device_clock.data(), online_contacts.data(),
            lottery.data(),        voucher.data(),      voucher_until.data()};
  }

  /** The agent's place (see place_of). */
  std::size_t place(std::size_t i) const {
    return static_cast<std::size_t>(place_of(region[i], traits[i] & trait::rural));
  }
};

}  // namespace divsim
