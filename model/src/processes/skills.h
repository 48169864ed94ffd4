// Skills: basic digital skills from school (ages 10-15) and from peers who are online.
#pragma once

#include <array>

#include "divsim/processes/process.h"

namespace divsim::detail {

class Skills : public Process {
 public:
  explicit Skills(const ParameterSet& params);
  std::string_view name() const override { return "skills"; }
  void initialize(World& world) override;
  void prepare(World& world) override;
  void update(World& world, const AgentRange& range) override;

 private:
  /** Draws at `step` whether and when agents [begin, end) get basic skills at school; their
   * ages are those they had at step `aged_at`. */
  void schedule_school(World& world, std::size_t begin, std::size_t end, int step,
                       int aged_at) const;

  std::array<double, kIncomeGroups> school_{};
  double peer_rate_, school_rate_;
  std::size_t scheduled_ = 0;  // agents [0, scheduled_) have had their schooling drawn
};

}  // namespace divsim::detail
