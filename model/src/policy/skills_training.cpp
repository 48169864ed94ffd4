// Every seat is paid whether or not the trainee completes; completion is drawn per trainee.
#include "policy/skills_training.h"

namespace divsim::detail {

SkillsTraining::SkillsTraining(const InterventionSpec& spec, const ParameterSet&)
    : Intervention(spec, InterventionRole::programme),
      cost_usd_(spec.number("cost_per_trainee_usd")),
      completion_(spec.number("completion_rate")),
      stream_(stream_of(spec.name)) {}

InterventionTypeInfo SkillsTraining::info() {
  return {"skills",
          InterventionRole::programme,
          "training seats for people aged 10+ without basic digital skills, offered in queue "
          "order within the target while money lasts",
          {},
          {"income_group", "area", "sex", "age_band", "disability", "regions"}};
}

void SkillsTraining::prepare_offers(World& world) {
  seat_ = to_cents(cost_usd_ * world.person_weight);
}

bool SkillsTraining::eligible(const Agents::View& v, std::size_t i, int) const {
  return v.alive(i) && v.age_months[i] >= 120 && v.skill[i] == 0;
}

bool SkillsTraining::offer(World& world, std::size_t i) {
  const auto w = random_words(world.key, i, static_cast<std::uint64_t>(world.step),
                              Purpose::programme_effect, stream_);
  if (open_unit(w[0]) < completion_) world.agents.skill[i] = 1;
  return true;  // the seat is taken and paid
}

}  // namespace divsim::detail
