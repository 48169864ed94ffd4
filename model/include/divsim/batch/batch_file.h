// The batch file (docs/batch.md): every run's data along a leading `run` dimension, quantiles per
// scenario and paired differences against the reference; and part files, one per shard.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "divsim/batch/batch_plan.h"
#include "divsim/batch/run_record.h"

namespace divsim {

/** How a file was executed: attributes that describe the execution, not the data. */
struct BatchExecution {
  std::string command_line;
  int mpi_ranks = 1;
  int threads = 1;
  int jobs = 1;
  double wall_time_seconds = 0;
};

/** The quantiles every summary holds. */
inline constexpr double kBatchQuantiles[] = {0.05, 0.25, 0.5, 0.75, 0.95};

/**
 * Quantile p of `values` by linear interpolation between order statistics (Hyndman and Fan type
 * 7), computed as numpy computes it, so that the two agree to the last bit. `values` is sorted.
 */
double linear_quantile(const std::vector<double>& sorted, double p);

/**
 * Writes the batch file at `path` (a temporary name: see AtomicOutput) holding `runs` (ascending
 * run numbers), reading one run at a time from `record`, so memory does not grow with the runs.
 * With `shard` ("i/N") it is a part file: no summary, no differences.
 */
void write_batch_file(const std::string& path, const BatchPlan& plan,
                      const std::vector<std::uint64_t>& runs,
                      const std::function<RunRecord(std::uint64_t)>& record,
                      const BatchExecution& execution, const std::string& shard);

/** The `batch_digest` of a batch or part file; empty when `path` is not one. */
std::string batch_digest_of(const std::string& path);

/** A part file written with --shard, opened for `divsim merge`. */
class PartFile {
 public:
  /** Opens and checks a part file; a file that is not one is an InputError naming it. */
  explicit PartFile(const std::string& path);
  ~PartFile();
  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  const std::string& path() const noexcept { return path_; }
  const std::string& batch_file() const noexcept { return batch_file_; }
  const std::string& digest() const noexcept { return digest_; }
  const std::string& shard() const noexcept { return shard_; }
  std::int64_t agents() const noexcept { return agents_; }
  const std::vector<std::uint64_t>& runs() const noexcept { return runs_; }

  /** The run at `position` in this file, as written (measures the batch did not keep are NaN). */
  RunRecord read(std::size_t position, const BatchPlan& plan) const;

 private:
  std::string path_, batch_file_, digest_, shard_;
  std::int64_t agents_ = 0;
  std::vector<std::uint64_t> runs_;
  std::int64_t file_ = -1;
};

}  // namespace divsim
