// Progress on stderr: a rewritten line with ETA on a terminal, a line every 10 s otherwise.
#pragma once

#include <chrono>
#include <string>

namespace divsim::cli {

class Progress {
 public:
  /** `unit` names what is counted: "step" (a month of a run), "run" (a run of a batch). */
  Progress(std::string what, bool quiet, std::string unit = "step");
  void update(int done, int total);
  void finish();

 private:
  std::string what_;
  std::string unit_;
  bool quiet_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, last_;
  bool open_line_ = false;
};

/** Writes a log line to stderr unless quiet. */
void log(bool quiet, const std::string& line);

}  // namespace divsim::cli
