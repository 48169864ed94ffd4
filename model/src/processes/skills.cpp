// School gives basic skills at a drawn age between 10 and 15 to a share of each cohort (scheduled
// once); peers teach at a hazard proportional to the share of the agent's contacts who are online.
#include "processes/skills.h"

#include "processes/parallel.h"

namespace divsim::detail {

Skills::Skills(const ParameterSet& params)
    : peer_rate_(params.get("skills.peer_rate")), school_rate_(params.get("schools.skill_rate")) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    school_[g] = params.get("skills.school_basic." + std::string(kIncomeGroupKeys[g]));
  }
}

void Skills::schedule_school(World& world, std::size_t begin, std::size_t end, int step,
                             int aged_at) const {
  Agents& a = world.agents;
  for_agents(end - begin, [&](std::size_t lo, std::size_t hi) {
    for (std::size_t i = begin + lo; i < begin + hi; ++i) {
      a.skill_clock[i] = exponential_clock(world.key, i, step, Purpose::skill_clock);
      if (a.skill[i] > 0) continue;
      const auto w = random_words(world.key, i, step, Purpose::school);
      if (open_unit(w[0]) >= school_[a.income_group[i]]) continue;
      const int at_age = 120 + static_cast<int>(open_unit(w[1]) * 60);  // months, 10 to 15 years
      if (at_age <= a.age_months[i]) continue;  // past school age without the skills
      const int at = aged_at + at_age - a.age_months[i];
      a.school_month[i] = at >= kNever ? kNever : static_cast<std::uint16_t>(at);
    }
  });
}

void Skills::initialize(World& world) {
  schedule_school(world, 0, world.agents.size(), 0, 0);
  scheduled_ = world.agents.size();
}

void Skills::prepare(World& world) {
  // Those born or arrived since: they carry the age they had at the end of the last step.
  schedule_school(world, scheduled_, world.agents.size(), world.step, world.step - 1);
  scheduled_ = world.agents.size();
}

void Skills::update(World& world, const AgentRange& range) {
  const auto step = static_cast<std::uint16_t>(world.step);
  const Agents::View v = world.agents.view();  // a local: the byte stores below cannot alias it
  const SocialNetwork::Rows net = world.network.rows();
  const double peer_rate = peer_rate_, school_rate = school_rate_;
  const World::SchoolBands bands = world.school_bands();
  for (std::size_t i = range.begin; i < range.end; ++i) {
    if (v.skill[i] > 0 || !v.alive(i)) continue;
    if (v.school_month[i] == step) {
      v.skill[i] = 1;
      continue;
    }
    const std::uint16_t online = v.online_contacts[i];
    if (v.age_months[i] < 120) continue;
    // Pupils of schools connected during the run also learn there (docs/interventions.md).
    const bool school = bands.pupil(v, i);
    if (online == 0 && !school) continue;
    double hazard = 0;
    if (online > 0) hazard = peer_rate * (static_cast<double>(online) / net.degree(i));
    if (school) hazard += school_rate;
    v.skill_clock[i] -= static_cast<float>(hazard);
    if (v.skill_clock[i] <= 0) v.skill[i] = 1;
  }
}

}  // namespace divsim::detail
