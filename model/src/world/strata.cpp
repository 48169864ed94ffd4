// Lookups between names and indices of the stratification dimensions.
#include "divsim/world/strata.h"

namespace divsim {

int income_group_index(std::string_view name) {
  for (int g = 0; g < kIncomeGroups; ++g) {
    if (name == kIncomeGroupKeys[g] || name == kIncomeGroupLabels[g]) return g;
  }
  return -1;
}

}  // namespace divsim
