// Closed forms of the cost integral and its inverse, and the greedy, deterministic purchase.
#include "policy/frontier_purchase.h"

#include <algorithm>
#include <cmath>

namespace divsim::detail {

double FrontierPrice::cost(double from, double to) const {
  // The integral of cost0 (1 - r)^-k over [from, to].
  const double a = 1 - from, b = 1 - to;
  if (std::abs(exponent - 1) < 1e-12) return cost0 * std::log(a / b);
  return cost0 * (std::pow(b, 1 - exponent) - std::pow(a, 1 - exponent)) / (exponent - 1);
}

double FrontierPrice::reach(double from, double usd) const {
  if (!(cost0 > 0)) return kMaxFrontier;
  const double a = 1 - from, j = usd / cost0;
  double b;
  if (std::abs(exponent - 1) < 1e-12) {
    b = a * std::exp(-j);
  } else {
    const double base = std::pow(a, 1 - exponent) + j * (exponent - 1);
    b = base > 0 ? std::pow(base, 1 / (1 - exponent)) : 0.0;
  }
  return std::min(kMaxFrontier, 1 - b);
}

Cents buy_frontiers(std::vector<FrontierSite> sites, const FrontierPrice& price, Cents budget,
                    double& persons, const std::function<void(std::size_t, double)>& moved) {
  std::sort(sites.begin(), sites.end(), [](const FrontierSite& a, const FrontierSite& b) {
    return a.frontier != b.frontier ? a.frontier < b.frontier : a.place < b.place;
  });
  Cents spent = 0;
  persons = 0;
  for (const FrontierSite& site : sites) {
    const Cents left = budget - spent;
    if (left <= 0) break;
    if (!(site.people > 0) || site.frontier >= kMaxFrontier) continue;
    // Compared in dollars first: the remotest step can cost more than any amount of cents holds.
    const double left_usd = static_cast<double>(left) / 100;
    double to = std::min(kMaxFrontier, site.frontier + price.max_step);
    double usd = site.people * price.cost(site.frontier, to);
    if (!(usd <= left_usd)) {
      to = std::min(to, price.reach(site.frontier, left_usd / site.people));
      usd = std::min(left_usd, site.people * price.cost(site.frontier, to));
    }
    const Cents cost = std::min(left, to_cents(usd));
    if (!(to > site.frontier)) break;  // not even the nearest person is affordable
    spent += cost;
    persons += site.people * (to - site.frontier);
    moved(site.place, to);
  }
  return spent;
}

}  // namespace divsim::detail
