// What one run of a batch leaves behind: its monthly counts and its spending, as bytes that travel
// between MPI ranks and rest in the spool until the batch file is written.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "divsim/batch/batch_plan.h"
#include "divsim/output/tally.h"
#include "divsim/policy/ledger.h"

namespace divsim {

struct RunRecord {
  std::uint64_t run = 0;
  std::vector<StratumCounts> records;  // one per month of the batch's time axis
  /** Spending during the month ending at each record, summed over the run's funds: records × use.
   */
  std::vector<Cents> spending;
};

/**
 * Simulates run k of the plan. Throws Interrupted when `*stop` turns true between steps. The
 * result depends only on the plan and k.
 */
RunRecord execute_run(const BatchPlan& plan, std::size_t k, const std::atomic<bool>* stop);

/** The record as bytes, stamped with the batch's digest. */
std::string serialize_run(const RunRecord& record, const std::string& digest);

/**
 * The record back from bytes. Bytes of another batch, of another size or damaged are a
 * RuntimeFailure naming `what` (a spool file, a rank).
 */
RunRecord deserialize_run(std::string_view bytes, const std::string& digest,
                          const std::string& what);

}  // namespace divsim
