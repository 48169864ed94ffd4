// Writing an output so that nothing the user has is ever lost: temp file, then rename.
#pragma once

#include <string>

namespace divsim {

/**
 * A file being written under a temporary name in the target folder (`.NAME.tmp-PID`), renamed
 * onto the final path by commit(). Destroyed uncommitted, it removes the temporary file.
 */
class AtomicOutput {
 public:
  /**
   * Checks the target without touching anything: an existing file is refused unless `overwrite`.
   * Throws InputError.
   */
  AtomicOutput(std::string final_path, bool overwrite);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();

  const std::string& temp_path() const noexcept { return temp_path_; }
  const std::string& final_path() const noexcept { return final_path_; }

  /** Creates the target folder if needed; returns the temporary path to write. */
  const std::string& prepare();

  /** fsyncs the temporary file, renames it into place and fsyncs the folder. */
  void commit();

 private:
  std::string final_path_;
  std::string temp_path_;
  bool overwrite_ = false;
  bool committed_ = false;
};

/** Whether a file exists at `path`. */
bool file_exists(const std::string& path);

}  // namespace divsim
