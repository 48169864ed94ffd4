// The policy process: moves money from funds to programmes, lets programmes spend it, and keeps
// the ledger. Runs after coverage (subsidised sites extend the month's commercial roll-out) and
// before skills and adoption (which see this month's prices, vouchers and connected schools).
#pragma once

#include <memory>
#include <vector>

#include "policy/intervention.h"

namespace divsim::detail {

class Policy : public Process {
 public:
  explicit Policy(const ParameterSet& params);
  std::string_view name() const override { return "policy"; }
  void initialize(World& world) override;
  void prepare(World& world) override;
  void update(World& world, const AgentRange& range) override;
  void finish(World& world) override;

 private:
  struct Fund {
    Intervention* intervention;
    Cents idle = 0;         // collected, never released
    Cents undisbursed = 0;  // released, not yet given to a programme
    Cents debt = 0;
  };
  /**
   * A programme's queue: agents in order of a per-round permutation of their lottery numbers.
   * Each month a window [lo, hi) of positions is scanned in the sweep; the candidates found are
   * offered the programme in position order while money lasts, and the next month starts where
   * the money ran out. A round ends at position 2^32; the next reorders the queue.
   */
  struct Queue {
    std::uint64_t round = 0;
    std::uint32_t multiplier = 1, offset = 0;  // position = multiplier * lottery + offset
    std::uint64_t lo = 0, hi = 0;
    double density = -1;  // eligible agents in the target per full round, as last measured
    std::size_t capacity = 0;
    std::vector<std::uint64_t> found;          // per chunk: (position << 32) | agent
    std::vector<std::uint32_t> count;          // per chunk, including those not kept
    std::vector<std::uint64_t> first_dropped;  // per chunk: least position not kept
  };
  struct Programme {
    Intervention* intervention = nullptr;
    std::size_t fund = 0;
    TargetMask mask;
    double share = 0;
    Cents monthly_budget = 0;
    Cents balance = 0;
    Queue queue;
    bool offering = false;
  };

  void start_round(const World& world, Programme& p);
  void open_window(World& world, Programme& p, std::size_t chunks);
  void settle_offers(World& world, Programme& p, std::size_t index);
  void record(World& world, std::size_t t);

  std::array<double, kIncomeGroups> school_start_{};
  std::vector<std::unique_ptr<Intervention>> interventions_;
  std::vector<Fund> funds_;
  std::vector<Programme> programmes_;
  bool any_offers_ = false;
  std::size_t queued_ = 0;  // agents [0, queued_) have a lottery number
};

}  // namespace divsim::detail
