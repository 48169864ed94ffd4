// Spreading a batch's runs over MPI ranks and, within a rank, over concurrent jobs: runs are
// handed out one at a time as jobs free up (dynamic load balancing); rank 0 keeps the results.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "divsim/batch/batch_plan.h"

namespace divsim {

/**
 * The MPI world of this process. A process started by mpirun or srun --mpi=pmix joins it; any
 * other is a world of one and never touches MPI. An `srun` task without an MPI plugin is refused
 * (every task would run the whole batch).
 */
class Cluster {
 public:
  Cluster(int* argc, char*** argv);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }
  bool uses_mpi() const noexcept { return mpi_; }

  /** Every rank calls it; each gets the largest `code` of any rank (0: all went well). */
  int agree(int code) const;

  /** Ends every rank of the MPI world at once with `code` (MPI_Abort); without MPI, exits. */
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0;
  int size_ = 1;
  bool mpi_ = false;
};

/** Whether this build can run under mpirun and srun. */
bool built_with_mpi();

struct DispatchOptions {
  int jobs = 1;                             // concurrent runs on each rank
  const std::atomic<bool>* stop = nullptr;  // true: finish nothing more, keep what is done
  /** Rank 0, one thread at a time: a finished run's serialized record. */
  std::function<void(std::uint64_t run, std::string&& bytes)> store;
};

/**
 * Runs `todo` (rank 0's list; other ranks pass an empty one) over every rank of `cluster`. Every
 * rank calls it. Returns on every rank once every run is stored or, after a stop, once every rank
 * has stopped; a failure on any rank is a RuntimeFailure on rank 0 naming the rank.
 */
void dispatch_runs(const Cluster& cluster, const BatchPlan& plan,
                   const std::vector<std::uint64_t>& todo, const DispatchOptions& options);

}  // namespace divsim
