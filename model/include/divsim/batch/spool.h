// The spool: finished runs of a batch kept on disk, one file each, until the batch file is written.
// It is what makes a batch resumable after a signal, a wall-time limit or a pre-emption.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace divsim {

class Spool {
 public:
  /**
   * The spool folder of `output` (OUTPUT.runs/). Without `resume` an existing spool is refused
   * unless `force`, which empties it; with `resume` it must belong to the batch (`digest`).
   * Throws InputError. Nothing is created until prepare().
   */
  Spool(const std::string& output, const std::string& digest, bool resume, bool force);

  const std::string& folder() const noexcept { return folder_; }

  /** Creates the folder and stamps it with the batch's digest. */
  void prepare();

  /** The runs whose files are complete. */
  const std::set<std::uint64_t>& finished() const noexcept { return finished_; }

  /** Writes run `run`'s bytes under a temporary name, then renames it into place. */
  void store(std::uint64_t run, const std::string& bytes);

  /** The bytes of a finished run. */
  std::string load(std::uint64_t run) const;

  /** Removes the folder and everything in it (once the batch file is in place). */
  void remove();

 private:
  std::string path_of(std::uint64_t run) const;

  std::string folder_;
  std::string digest_;
  std::set<std::uint64_t> finished_;
};

}  // namespace divsim
