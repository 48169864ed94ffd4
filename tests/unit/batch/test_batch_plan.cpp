#include <gtest/gtest.h>

#include <cmath>

#include "divsim/batch/batch_file.h"
#include "divsim/batch/batch_plan.h"
#include "divsim/batch/run_record.h"
#include "expect_error.h"

using namespace divsim;

namespace {

// Paths are relative to the batch file, which sits (by name) in scenarios/batches/.
BatchPlan parse(const std::string& text) {
  return parse_batch(text, source_path("scenarios/batches/test.toml"));
}

const std::string kTwo =
    "[batch]\nname = \"t\"\nscenarios = [\"../baseline.toml\", \"../portfolio-skills.toml\"]\n"
    "reference = \"baseline\"\nreplicates = 3\nagents = 1000\n";

}  // namespace

TEST(batch_plan_test, runs_are_scenario_major_then_draw_then_replicate) {
  const BatchPlan plan = parse(kTwo +
                               "[draws]\nfrom = \"../../calibration/posterior.csv\"\n"
                               "draws = [4, 0]\n");
  ASSERT_EQ(plan.runs(), 2u * 2u * 3u);
  const BatchRun r = plan.run(10);  // (1 * 2 + 1) * 3 + 1
  EXPECT_EQ(r.scenario, 1u);
  EXPECT_EQ(r.draw, 1u);
  EXPECT_EQ(r.replicate, 1u);
  EXPECT_EQ(r.reference_run, 4);  // (0 * 2 + 1) * 3 + 1
  EXPECT_EQ(plan.run(4).reference_run, 4);
  EXPECT_EQ(plan.draws[0].number, 4);
  EXPECT_EQ(plan.draws[1].number, 0);
  EXPECT_EQ(plan.parameter_names.size(), 6u);
  EXPECT_EQ(plan.scenarios[1].agents, 1000);
}

TEST(batch_plan_test, a_run_carries_its_draw_and_replicate_and_nothing_else_changes) {
  const BatchPlan plan = parse(kTwo +
                               "[draws]\nfrom = \"../../calibration/posterior.csv\"\n"
                               "draws = [2]\n");
  const Scenario s = plan.scenario_of_run(5);  // portfolio-skills, draw 2, replicate 2
  EXPECT_EQ(s.name, "portfolio-skills");
  EXPECT_EQ(s.replicate, 2u);
  EXPECT_EQ(s.parameters.get(plan.parameter_names[0]), plan.draws[0].values[0]);
  EXPECT_EQ(s.seed, plan.scenarios[0].seed);
  EXPECT_EQ(plan.scenarios[1].replicate, 0u);  // the plan's own scenarios are untouched
}

TEST(batch_plan_test, the_digest_follows_the_agents) {
  BatchPlan plan = parse(kTwo);
  const std::string before = plan.digest;
  EXPECT_EQ(parse(kTwo).digest, before);
  plan.set_agents(2000);
  EXPECT_NE(plan.digest, before);
  EXPECT_EQ(plan.scenarios[0].agents, 2000);
  EXPECT_NE(parse(kTwo + "# another batch\n").digest, before);
}

TEST(batch_plan_test, latin_hypercube_puts_one_sample_in_each_slice) {
  const BatchPlan plan = parse(
      "[batch]\nname = \"h\"\nscenarios = [\"../baseline.toml\"]\nreplicates = 1\n"
      "[draws]\nmethod = \"latin_hypercube\"\nsamples = 7\nseed = 11\n[draws.parameters]\n"
      "\"adoption.innovation\" = [0.01, 0.08]\n");
  ASSERT_EQ(plan.draws.size(), 7u);
  std::vector<int> seen(7, 0);
  for (const auto& d : plan.draws) {
    const int slice = static_cast<int>(std::floor((d.values[0] - 0.01) / 0.01));
    ASSERT_GE(slice, 0);
    ASSERT_LT(slice, 7);
    ++seen[slice];
  }
  EXPECT_EQ(seen, std::vector<int>(7, 1));
}

TEST(batch_plan_test, bad_batches_name_the_file_line_and_key) {
  const std::string file = source_path("scenarios/batches/test.toml");
  EXPECT_THROW_MSG(parse("[batch]\nname = \"t\"\nscenarios = [\"../baseline.toml\"]\n"
                         "replicates = 1\n[draws]\nmethod = \"sobol\"\n"),
                   InputErrors,
                   file +
                       ":6:10: draws.method: expected from = \"ENSEMBLE.csv\" or method = "
                       "\"latin_hypercube\" or \"grid\", found string \"sobol\"");
  EXPECT_THROW_MSG(parse("[batch]\nname = \"a b\"\nscenarios = [\"../baseline.toml\"]\n"
                         "replicates = 1\n"),
                   InputErrors,
                   file +
                       ":2:8: batch.name: expected a name without spaces or slashes, found "
                       "\"a b\"");
  EXPECT_THROW_MSG(parse("[batch]\nname = \"t\"\nscenarios = [\"../baseline.toml\", "
                         "\"../baseline.toml\"]\nreplicates = 1\n"),
                   InputErrors,
                   file +
                       ":3:34: batch.scenarios: expected scenarios with distinct names, found "
                       "\"baseline\" twice");
}

TEST(batch_quantile_test, linear_interpolation_matches_numpy) {
  // numpy.quantile([1, 2, 3, 4], p, method="linear") for p = 0, 0.05, 0.25, 0.5, 0.95, 1.
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_EQ(linear_quantile(v, 0.0), 1.0);
  EXPECT_EQ(linear_quantile(v, 0.05), 1.15);
  EXPECT_EQ(linear_quantile(v, 0.25), 1.75);
  EXPECT_EQ(linear_quantile(v, 0.5), 2.5);
  EXPECT_EQ(linear_quantile(v, 0.95), 3.8499999999999996);
  EXPECT_EQ(linear_quantile(v, 1.0), 4.0);
  EXPECT_EQ(linear_quantile({7.5}, 0.95), 7.5);
  EXPECT_TRUE(std::isnan(linear_quantile({}, 0.5)));
}

TEST(run_record_test, bytes_round_trip_and_refuse_another_batch) {
  RunRecord r;
  r.run = 17;
  r.records.assign(3, StratumCounts{});
  r.records[2][5] = 1.25;
  r.spending.assign(3 * kLedgerUses, 0);
  r.spending[4] = 12345;
  const std::string digest(64, 'a');
  const std::string bytes = serialize_run(r, digest);
  const RunRecord back = deserialize_run(bytes, digest, "test");
  EXPECT_EQ(back.run, 17u);
  EXPECT_EQ(back.records[2][5], 1.25);
  EXPECT_EQ(back.spending[4], 12345);
  EXPECT_THROW_MSG(deserialize_run(bytes, std::string(64, 'b'), "spool/run-17"), RuntimeFailure,
                   "spool/run-17: expected a run of batch bbbbbbbbbbbb, found one of batch "
                   "aaaaaaaaaaaa");
  EXPECT_THROW_MSG(
      deserialize_run(bytes.substr(0, bytes.size() - 1), digest, "r"), RuntimeFailure,
      "r: expected " + std::to_string(3 * sizeof(StratumCounts) + 3 * kLedgerUses * sizeof(Cents)) +
          " bytes of data, found " +
          std::to_string(3 * sizeof(StratumCounts) + 3 * kLedgerUses * sizeof(Cents) - 1));
}
