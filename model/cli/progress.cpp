// Progress and log lines on stderr.
#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace divsim::cli {

Progress::Progress(std::string what, bool quiet, std::string unit)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      quiet_(quiet),
      terminal_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::update(int done, int total) {
  if (quiet_) return;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const bool due = terminal_ ? now - last_ > std::chrono::milliseconds(100)
                             : now - last_ > std::chrono::seconds(10);
  if (!due && done != total) return;
  last_ = now;
  const double eta = done > 0 ? elapsed * (total - done) / done : 0;
  if (terminal_) {
    std::fprintf(stderr, "\r%s: %s %d/%d, %.0f%%, ETA %.0f s   ", what_.c_str(), unit_.c_str(),
                 done, total, 100.0 * done / total, eta);
    open_line_ = true;
  } else {
    std::fprintf(stderr, "%s: %s %d/%d, %.0f%%, ETA %.0f s\n", what_.c_str(), unit_.c_str(), done,
                 total, 100.0 * done / total, eta);
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (open_line_) std::fputc('\n', stderr);
  open_line_ = false;
}

void log(bool quiet, const std::string& line) {
  if (!quiet) std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace divsim::cli
