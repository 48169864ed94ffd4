// Dynamic load balancing: rank 0 hands out one run at a time to whichever job asks, its own jobs
// and other ranks' alike, and stores what comes back. Only each rank's main thread calls MPI
// (MPI_THREAD_FUNNELED); jobs are threads that simulate and never communicate.
#include "divsim/batch/dispatch.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "divsim/batch/run_record.h"
#include "divsim/core/error.h"
#include "divsim/sim/simulation.h"

#ifdef DIVSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace divsim {
namespace {

/** `jobs` threads that take runs from `next`, simulate them and queue their bytes. */
class JobPool {
 public:
  JobPool(const BatchPlan& plan, int jobs, const std::atomic<bool>* stop,
          std::function<std::optional<std::uint64_t>()> next)
      : plan_(plan), stop_(stop), next_(std::move(next)), alive_(jobs) {
    for (int j = 0; j < jobs; ++j) threads_.emplace_back([this] { work(); });
  }
  ~JobPool() {
    for (auto& t : threads_) t.join();
  }
  JobPool(const JobPool&) = delete;
  JobPool& operator=(const JobPool&) = delete;

  /** A finished run, if any. */
  std::optional<std::pair<std::uint64_t, std::string>> pop() {
    std::lock_guard lock(mutex_);
    if (done_.empty()) return std::nullopt;
    auto out = std::move(done_.front());
    done_.pop_front();
    return out;
  }

  /** Whether every job has ended and every result was taken. */
  bool ended() {
    std::lock_guard lock(mutex_);
    return alive_ == 0 && done_.empty();
  }

  /** Runs being simulated now. */
  int busy() {
    std::lock_guard lock(mutex_);
    return running_;
  }

  /** Waits until a result arrives, a job ends or `timeout` passes. */
  void wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return !done_.empty() || alive_ == 0; });
  }

  /** The first failure of a job, rethrown by the caller once the jobs have ended. */
  std::exception_ptr failure() {
    std::lock_guard lock(mutex_);
    return failure_;
  }

 private:
  void work() {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (failure_) break;
      }
      const std::optional<std::uint64_t> k = next_();
      if (!k) break;
      {
        std::lock_guard lock(mutex_);
        ++running_;
      }
      try {
        RunRecord record = execute_run(plan_, *k, stop_);
        std::string bytes = serialize_run(record, plan_.digest);
        std::lock_guard lock(mutex_);
        --running_;
        done_.emplace_back(*k, std::move(bytes));
      } catch (const Interrupted&) {
        std::lock_guard lock(mutex_);
        --running_;
        break;
      } catch (...) {
        std::lock_guard lock(mutex_);
        --running_;
        if (!failure_) failure_ = std::current_exception();
        break;
      }
      changed_.notify_all();
    }
    {
      std::lock_guard lock(mutex_);
      --alive_;
    }
    changed_.notify_all();
  }

  const BatchPlan& plan_;
  const std::atomic<bool>* stop_;
  std::function<std::optional<std::uint64_t>()> next_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<std::uint64_t, std::string>> done_;
  std::exception_ptr failure_;
  int alive_ = 0;
  int running_ = 0;
  std::vector<std::thread> threads_;  // last: started once everything above exists
};

bool stopping(const std::atomic<bool>* stop) {
  return stop && stop->load();
}

/** Rank 0's list of runs still to hand out. */
class Queue {
 public:
  explicit Queue(const std::vector<std::uint64_t>& todo) : todo_(todo) {}
  std::optional<std::uint64_t> take(const std::atomic<bool>* stop) {
    std::lock_guard lock(mutex_);
    if (halted_ || stopping(stop) || next_ >= todo_.size()) return std::nullopt;
    return todo_[next_++];
  }
  void halt() {
    std::lock_guard lock(mutex_);
    halted_ = true;
  }

 private:
  const std::vector<std::uint64_t>& todo_;
  std::size_t next_ = 0;
  bool halted_ = false;
  std::mutex mutex_;
};

std::string message_of(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown failure";
  }
}

#ifdef DIVSIM_HAVE_MPI
enum Tag : int { kRequest = 1, kTask = 2, kResult = 3, kDone = 4 };

void check_mpi(int status, const char* what) {
  if (status != MPI_SUCCESS) throw RuntimeFailure(std::string("mpi: cannot ") + what);
}

/** A rank other than 0: asks for runs while its jobs have room, sends back what they finish. */
void serve_as_worker(const BatchPlan& plan, const DispatchOptions& options) {
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<std::uint64_t> queue;
  bool closed = false;
  auto next = [&]() -> std::optional<std::uint64_t> {
    std::unique_lock lock(mutex);
    arrived.wait(lock, [&] { return closed || !queue.empty(); });
    if (queue.empty()) return std::nullopt;
    const std::uint64_t k = queue.front();
    queue.pop_front();
    return k;
  };
  auto close = [&] {
    {
      std::lock_guard lock(mutex);
      closed = true;
      queue.clear();  // runs not started are rank 0's to hand out again on --resume
    }
    arrived.notify_all();
  };
  JobPool pool(plan, options.jobs, options.stop, next);
  bool exhausted = false;
  for (;;) {
    while (auto result = pool.pop()) {
      check_mpi(MPI_Send(result->second.data(), static_cast<int>(result->second.size()), MPI_BYTE,
                         0, kResult, MPI_COMM_WORLD),
                "send a run");
    }
    if (!exhausted && (stopping(options.stop) || pool.failure())) {
      exhausted = true;
      close();
    }
    std::size_t queued = 0;
    {
      std::lock_guard lock(mutex);
      queued = queue.size();
    }
    if (!exhausted && queued == 0 && pool.busy() < options.jobs) {
      check_mpi(MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequest, MPI_COMM_WORLD), "ask for a run");
      long long k = -1;
      check_mpi(MPI_Recv(&k, 1, MPI_LONG_LONG, 0, kTask, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                "receive a run");
      if (k < 0) {
        exhausted = true;
        close();
      } else {
        {
          std::lock_guard lock(mutex);
          queue.push_back(static_cast<std::uint64_t>(k));
        }
        arrived.notify_all();
        continue;
      }
    }
    if (pool.ended()) break;
    pool.wait(std::chrono::milliseconds(5));
  }
  const std::string failure = pool.failure() ? message_of(pool.failure()) : "";
  check_mpi(MPI_Send(failure.data(), static_cast<int>(failure.size()), MPI_CHAR, 0, kDone,
                     MPI_COMM_WORLD),
            "say done");
}
#endif

}  // namespace

bool built_with_mpi() {
#ifdef DIVSIM_HAVE_MPI
  return true;
#else
  return false;
#endif
}

Cluster::Cluster(int* argc, char*** argv) {
  auto set = [](const char* name) { return std::getenv(name) != nullptr; };
  const bool launched = set("OMPI_COMM_WORLD_SIZE") || set("PMIX_RANK") || set("PMI_RANK");
  const char* slurm_tasks = std::getenv("SLURM_STEP_NUM_TASKS");
  if (!launched && slurm_tasks && std::atoi(slurm_tasks) > 1) {
    throw RuntimeFailure(
        "started by srun as one of " + std::string(slurm_tasks) +
        " tasks without MPI: every task would run the whole batch (use srun --mpi=pmix)");
  }
  if (!launched) return;
#ifdef DIVSIM_HAVE_MPI
  int provided = 0;
  check_mpi(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "initialise");
  mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
#else
  (void)argc;
  (void)argv;
  throw RuntimeFailure("started by an MPI launcher, but this divsim was built without MPI");
#endif
}

Cluster::~Cluster() {
#ifdef DIVSIM_HAVE_MPI
  if (mpi_) MPI_Finalize();
#endif
}

int Cluster::agree(int code) const {
#ifdef DIVSIM_HAVE_MPI
  if (mpi_) {
    int all = 0;
    MPI_Allreduce(&code, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
  }
#endif
  return code;
}

void Cluster::abort(int code) const {
#ifdef DIVSIM_HAVE_MPI
  if (mpi_) MPI_Abort(MPI_COMM_WORLD, code);
#endif
  std::exit(code);
}

void dispatch_runs(const Cluster& cluster, const BatchPlan& plan,
                   const std::vector<std::uint64_t>& todo, const DispatchOptions& options) {
#ifdef DIVSIM_HAVE_MPI
  if (cluster.rank() != 0) {
    serve_as_worker(plan, options);
    return;
  }
#endif
  Queue queue(todo);
  JobPool pool(plan, options.jobs, options.stop, [&] { return queue.take(options.stop); });
  std::string remote_failure;
  int ranks_done = 0;
  for (;;) {
#ifdef DIVSIM_HAVE_MPI
    if (cluster.uses_mpi()) {
      for (;;) {
        int flag = 0;
        MPI_Status status;
        check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status),
                  "look for messages");
        if (!flag) break;
        int bytes = 0;
        MPI_Get_count(&status, MPI_BYTE, &bytes);
        std::string message(static_cast<std::size_t>(bytes), '\0');
        check_mpi(MPI_Recv(message.data(), bytes, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG,
                           MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                  "receive a message");
        if (status.MPI_TAG == kRequest) {
          const auto k = queue.take(options.stop);
          const long long reply = k ? static_cast<long long>(*k) : -1;
          check_mpi(MPI_Send(&reply, 1, MPI_LONG_LONG, status.MPI_SOURCE, kTask, MPI_COMM_WORLD),
                    "hand out a run");
        } else if (status.MPI_TAG == kResult) {
          const std::string what = "rank " + std::to_string(status.MPI_SOURCE);
          const RunRecord record = deserialize_run(message, plan.digest, what);
          options.store(record.run, std::move(message));
        } else if (status.MPI_TAG == kDone) {
          ++ranks_done;
          if (!message.empty() && remote_failure.empty()) {
            remote_failure = "rank " + std::to_string(status.MPI_SOURCE) + ": " + message;
            queue.halt();
          }
        }
      }
    }
#endif
    while (auto result = pool.pop()) options.store(result->first, std::move(result->second));
    if (pool.failure()) queue.halt();
    if (pool.ended() && ranks_done == cluster.size() - 1) break;
    pool.wait(std::chrono::milliseconds(cluster.uses_mpi() ? 1 : 50));
  }
  if (auto failure = pool.failure()) std::rethrow_exception(failure);
  if (!remote_failure.empty()) throw RuntimeFailure(remote_failure);
}

}  // namespace divsim
