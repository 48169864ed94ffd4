// The intervention registry, filled from interventions.inc: one registration line per type.
#include <algorithm>

#include "policy/affordability.h"
#include "policy/coverage_subsidy.h"
#include "policy/financing.h"
#include "policy/intervention.h"
#include "policy/school_connectivity.h"
#include "policy/skills_training.h"
#include "policy/universal_service_fund.h"

namespace divsim {

const std::vector<InterventionTypeInfo>& intervention_types() {
  static const std::vector<InterventionTypeInfo> types = {
#define DIVSIM_INTERVENTION(key, Class) detail::Class::info(),
#include "policy/interventions.inc"
#undef DIVSIM_INTERVENTION
  };
  return types;
}

const InterventionTypeInfo* find_intervention_type(std::string_view name) {
  for (const auto& type : intervention_types()) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

std::vector<std::string> intervention_parameters(const InterventionTypeInfo& type) {
  const ParameterTable& table = ParameterTable::builtin();
  std::vector<std::string> names;
  if (type.role == InterventionRole::programme)
    names = table.names_with_prefix("intervention.programme.");
  for (auto& name : table.names_with_prefix("intervention." + std::string(type.name) + ".")) {
    names.push_back(std::move(name));
  }
  return names;
}

bool Target::includes(int stratum) const {
  const StratumKey k = stratum_key(stratum);
  return income_group[k.income_group] && area[k.area] && sex[k.sex] && age_band[k.age_band] &&
         disability[k.disability];
}

double InterventionSpec::number(std::string_view key) const {
  for (const auto& n : numbers) {
    if (n.key == key) return n.value;
  }
  throw std::out_of_range("intervention " + name + " has no setting " + std::string(key));
}

const std::string& InterventionSpec::choice(std::string_view key) const {
  for (const auto& [k, v] : choices) {
    if (k == key) return v;
  }
  throw std::out_of_range("intervention " + name + " has no choice " + std::string(key));
}

namespace detail {

TargetMask::TargetMask(const Target& target, const std::vector<Region>& regions)
    : region(regions.size(), target.regions.empty() ? 1 : 0), place(2 * regions.size(), 0) {
  for (int s = 0; s < kStrata; ++s) stratum[s] = target.includes(s) ? 1 : 0;
  for (const auto& name : target.regions) {
    for (std::size_t r = 0; r < regions.size(); ++r) {
      if (regions[r].name == name) region[r] = 1;
    }
  }
  for (std::size_t r = 0; r < regions.size(); ++r) {
    for (int area = 0; area < kAreas; ++area) {
      bool any = false;
      for (int s = 0; s < kStrata; ++s) {
        const StratumKey k = stratum_key(s);
        any = any || (stratum[s] && k.area == area && k.income_group == regions[r].income_group);
      }
      place[place_of(static_cast<int>(r), area == 1)] = region[r] && any ? 1 : 0;
    }
  }
}

std::unique_ptr<Intervention> make_intervention(const InterventionSpec& spec,
                                                const ParameterSet& params) {
#define DIVSIM_INTERVENTION(key, Class) \
  if (spec.type == #key) return std::make_unique<Class>(spec, params);
#include "policy/interventions.inc"
#undef DIVSIM_INTERVENTION
  throw std::out_of_range("unknown intervention type " + spec.type);
}

}  // namespace detail
}  // namespace divsim
