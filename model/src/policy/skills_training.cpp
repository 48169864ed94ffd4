// Every seat is paid whether or not the trainee completes; completion is drawn per trainee.
#include "policy/skills_training.h"

#include <algorithm>
#include <cmath>

namespace divsim::detail {

SkillsTraining::SkillsTraining(const InterventionSpec& spec, const ParameterSet&)
    : Intervention(spec, InterventionRole::programme),
      cost_usd_(spec.number("cost_per_trainee_usd")),
      completion_(spec.number("completion_rate")),
      seats_per_month_(spec.number("seats_per_year") / 12),
      level_(spec.choice("level") == "intermediate" ? 2 : 1),
      stream_(stream_of(spec.name)) {}

InterventionTypeInfo SkillsTraining::info() {
  return {"skills",
          InterventionRole::programme,
          "training seats for people aged 10+ below the course's skill level, offered in queue "
          "order within the target while money and seats last",
          {{"level",
            {"basic", "intermediate"},
            "the digital skill level a completed course gives (adoption needs basic skills)"}},
          {"income_group", "area", "sex", "age_band", "disability", "regions"}};
}

void SkillsTraining::prepare_offers(World& world) {
  seat_ = to_cents(cost_usd_ * world.person_weight);
  // Unused seats lapse, but a fraction of an agent is kept so that small runs get their seats.
  const double month = seats_per_month_ / world.person_weight;
  seats_ = month + std::min(seats_ - std::floor(seats_), 1.0);
}

bool SkillsTraining::eligible(const Agents::View& v, std::size_t i, int) const {
  return v.alive(i) && v.age_months[i] >= 120 && v.skill[i] < level_;
}

bool SkillsTraining::offer(World& world, std::size_t i) {
  const auto w = random_words(world.key, i, static_cast<std::uint64_t>(world.step),
                              Purpose::programme_effect, stream_);
  if (open_unit(w[0]) < completion_) world.agents.skill[i] = level_;
  seats_ -= 1;
  return true;  // the seat is taken and paid
}

}  // namespace divsim::detail
