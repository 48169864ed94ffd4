// The social network: undirected, homophilous, and the same on any number of threads.
#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "divsim/sim/simulation.h"
#include "divsim/world/neighbourhood.h"
#include "expect_error.h"

using namespace divsim;

namespace {

constexpr std::int64_t kAgents = 50'000;

struct Built {
  Scenario scenario;
  WorldPlan plan;
  Agents agents;
  SocialNetwork network;
};

const Built& built() {
  static const Built b = [] {
    Built x;
    x.scenario = load_scenario(source_path("scenarios/baseline.toml"));
    x.plan = plan_world(x.scenario);
    x.agents = synthesize(x.plan, x.scenario.parameters, kAgents, {x.scenario.seed, 0});
    x.network =
        SocialNetwork(x.agents, x.plan.regions.size(), x.scenario.parameters, {x.scenario.seed, 0});
    return x;
  }();
  return b;
}

/** Every contact as a (from, to) pair, sorted. */
std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs(const SocialNetwork& n, bool reversed) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  for (std::size_t i = 0; i < n.agents(); ++i) {
    for (std::uint32_t j : n.contacts(i)) {
      const auto from = static_cast<std::uint32_t>(i);
      out.emplace_back(reversed ? j : from, reversed ? from : j);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

int place(const Agents& a, std::size_t i) {
  return place_of(a.region[i], a.traits[i] & trait::rural);
}

}  // namespace

TEST(network_test, synthesis_leaves_agents_in_neighbourhood_order) {
  const Built& b = built();
  EXPECT_TRUE(neighbourhood_order(b.agents, b.plan.regions.size()).empty());
  Agents shuffled = b.agents;
  std::vector<std::uint32_t> reverse(shuffled.size());
  for (std::size_t k = 0; k < reverse.size(); ++k) {
    reverse[k] = static_cast<std::uint32_t>(reverse.size() - 1 - k);
  }
  permute(shuffled, reverse);
  const auto order = neighbourhood_order(shuffled, b.plan.regions.size());
  ASSERT_EQ(order.size(), shuffled.size()) << "reversed agents are out of order";
  permute(shuffled, order);
  EXPECT_TRUE(neighbourhood_order(shuffled, b.plan.regions.size()).empty()) << "sorted again";
  // Equal incomes are ordered by id, which the reversal changed; the incomes are the same.
  EXPECT_EQ(shuffled.income, b.agents.income);
}

TEST(network_test, every_contact_is_mutual_and_counted_once_each_way) {
  const SocialNetwork& n = built().network;
  const int half =
      static_cast<int>(built().scenario.parameters.get("network.mean_degree") / 2 + 0.5);
  EXPECT_EQ(n.agents(), static_cast<std::size_t>(kAgents));
  EXPECT_EQ(n.edges(), static_cast<std::size_t>(2 * half * kAgents));
  EXPECT_EQ(pairs(n, false), pairs(n, true)) << "the contact lists are symmetric, as multisets";
  for (std::size_t i = 0; i < n.agents(); ++i) {
    const auto c = n.contacts(i);
    ASSERT_GE(c.size(), static_cast<std::size_t>(half)) << "agent " << i;
    ASSERT_EQ(std::count(c.begin(), c.end(), static_cast<std::uint32_t>(i)), 0) << "agent " << i;
  }
  EXPECT_TRUE(n.contacts(n.agents()).empty()) << "agents born later have no contacts";
}

TEST(network_test, contacts_are_mostly_alike_in_place_and_age) {
  const Built& b = built();
  const double other_area = b.scenario.parameters.get("network.random_in_region");
  std::size_t total = 0, same_place = 0, same_band = 0;
  for (std::size_t i = 0; i < b.network.agents(); ++i) {
    for (std::uint32_t j : b.network.contacts(i)) {
      ++total;
      same_place += place(b.agents, i) == place(b.agents, j);
      same_band +=
          age_band_of(b.agents.age_months[i] / 12) == age_band_of(b.agents.age_months[j] / 12);
    }
  }
  const double share_place = static_cast<double>(same_place) / total;
  const double share_band = static_cast<double>(same_band) / total;
  // Only proposals to the other area leave the place, each with probability `other_area`; both
  // ends of a contact count it, so the share is that of proposals: binomial, 5 sd either side.
  const double proposals = static_cast<double>(total) / 2;
  EXPECT_NEAR(share_place, 1 - other_area,
              5 * std::sqrt(other_area * (1 - other_area) / proposals));
  // A random pairing would put about a quarter of contacts in the same age band.
  EXPECT_GT(share_band, 0.6);
}

TEST(network_test, the_same_network_on_any_thread_count) {
  const Built& b = built();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> one;
  {
    tbb::global_control control(tbb::global_control::max_allowed_parallelism, 1);
    const SocialNetwork n(b.agents, b.plan.regions.size(), b.scenario.parameters,
                          {b.scenario.seed, 0});
    for (std::size_t i = 0; i < n.agents(); ++i) {
      const auto c = n.contacts(i);
      const auto ref = b.network.contacts(i);
      ASSERT_TRUE(std::equal(c.begin(), c.end(), ref.begin(), ref.end())) << "agent " << i;
    }
  }
  const SocialNetwork other(b.agents, b.plan.regions.size(), b.scenario.parameters,
                            {b.scenario.seed + 1, 0});
  EXPECT_NE(pairs(other, false), pairs(b.network, false)) << "another seed, another network";
}
