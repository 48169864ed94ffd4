// Running one batch run, and its record as bytes (native byte order: the ranks of one batch run
// the same build on the same kind of machine).
#include "divsim/batch/run_record.h"

#include <cstring>

#include "divsim/core/error.h"
#include "divsim/sim/simulation.h"
#include "divsim/world/synthesis.h"

namespace divsim {
namespace {

constexpr char kMagic[8] = {'d', 'i', 'v', 's', 'i', 'm', 'R', '1'};
constexpr std::size_t kDigestBytes = 64;

template <typename T>
void put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <typename T>
T take(std::string_view& in) {
  T value;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return value;
}

}  // namespace

RunRecord execute_run(const BatchPlan& plan, std::size_t k, const std::atomic<bool>* stop) {
  const Scenario scenario = plan.scenario_of_run(k);
  const WorldPlan world = plan_world(scenario);
  Simulation sim(scenario, world, scenario.agents, {scenario.seed, scenario.replicate});
  Trajectory trajectory = sim.run([](int, int) {}, stop);
  RunRecord record;
  record.run = k;
  record.records = std::move(trajectory.records);
  const Ledger& ledger = sim.world().ledger;
  record.spending.assign(record.records.size() * kLedgerUses, 0);
  for (std::size_t t = 0; t < ledger.months() && t < record.records.size(); ++t) {
    for (std::size_t s = 0; s < ledger.sources().size(); ++s) {
      for (int u = 0; u < kLedgerUses; ++u) {
        record.spending[t * kLedgerUses + u] += ledger.spending(t, s, static_cast<LedgerUse>(u));
      }
    }
  }
  return record;
}

std::string serialize_run(const RunRecord& record, const std::string& digest) {
  std::string out;
  out.reserve(64 + digest.size() + record.records.size() * sizeof(StratumCounts) +
              record.spending.size() * sizeof(Cents));
  out.append(kMagic, sizeof kMagic);
  out.append(digest);
  put<std::uint64_t>(out, record.run);
  put<std::uint64_t>(out, record.records.size());
  put<std::uint64_t>(out, record.spending.size());
  out.append(reinterpret_cast<const char*>(record.records.data()),
             record.records.size() * sizeof(StratumCounts));
  out.append(reinterpret_cast<const char*>(record.spending.data()),
             record.spending.size() * sizeof(Cents));
  return out;
}

RunRecord deserialize_run(std::string_view in, const std::string& digest, const std::string& what) {
  const std::size_t head = sizeof kMagic + kDigestBytes + 3 * sizeof(std::uint64_t);
  if (in.size() < head || std::memcmp(in.data(), kMagic, sizeof kMagic) != 0) {
    throw RuntimeFailure(what + ": expected a divsim run record, found something else");
  }
  in.remove_prefix(sizeof kMagic);
  if (in.substr(0, kDigestBytes) != digest) {
    throw RuntimeFailure(what + ": expected a run of batch " + digest.substr(0, 12) +
                         ", found one of batch " + std::string(in.substr(0, 12)));
  }
  in.remove_prefix(kDigestBytes);
  RunRecord record;
  record.run = take<std::uint64_t>(in);
  const auto records = take<std::uint64_t>(in);
  const auto spending = take<std::uint64_t>(in);
  if (in.size() != records * sizeof(StratumCounts) + spending * sizeof(Cents)) {
    throw RuntimeFailure(
        what + ": expected " +
        std::to_string(records * sizeof(StratumCounts) + spending * sizeof(Cents)) +
        " bytes of data, found " + std::to_string(in.size()));
  }
  record.records.resize(records);
  std::memcpy(record.records.data(), in.data(), records * sizeof(StratumCounts));
  in.remove_prefix(records * sizeof(StratumCounts));
  record.spending.resize(spending);
  std::memcpy(record.spending.data(), in.data(), spending * sizeof(Cents));
  return record;
}

}  // namespace divsim
