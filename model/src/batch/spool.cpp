// Spool files: `run-NNNNNNNN.rec`, each written to `.run-NNNNNNNN.rec.tmp` and renamed, so that a
// file under its final name is always complete, whenever the process is stopped.
#include "divsim/batch/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "divsim/core/error.h"

namespace divsim {
namespace {

namespace fs = std::filesystem;
constexpr const char* kStamp = "batch.sha256";

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_synced(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw RuntimeFailure(path + ": cannot create");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      ::close(fd);
      throw RuntimeFailure(path + ": cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) throw RuntimeFailure(path + ": cannot sync");
}

}  // namespace

Spool::Spool(const std::string& output, const std::string& digest, bool resume, bool force)
    : folder_(output + ".runs"), digest_(digest) {
  if (!fs::exists(folder_)) return;
  if (!fs::is_directory(folder_)) {
    throw InputError({folder_, 0, 0}, "", "expected a spool folder, found a file");
  }
  if (!resume) {
    if (!force) {
      throw InputError({folder_, 0, 0}, "",
                       "expected no spool of an unfinished batch, found one (--resume continues "
                       "it, --force starts again)");
    }
    fs::remove_all(folder_);
    return;
  }
  const std::string stamp = read_all(folder_ + "/" + kStamp);
  if (stamp != digest_ + "\n") {
    throw InputError({folder_, 0, 0}, "",
                     "expected the spool of this batch (" + digest_.substr(0, 12) +
                         "), found one of another batch or engine (" + stamp.substr(0, 12) +
                         "); --force starts again");
  }
  for (const auto& entry : fs::directory_iterator(folder_)) {
    const std::string name = entry.path().filename().string();
    unsigned long long run = 0;
    char tail = 0;
    if (std::sscanf(name.c_str(), "run-%llu.re%c", &run, &tail) == 2 && tail == 'c' &&
        name.size() > 4 && name.substr(name.size() - 4) == ".rec") {
      finished_.insert(run);
    }
  }
}

void Spool::prepare() {
  if (fs::exists(folder_ + "/" + kStamp)) return;
  fs::create_directories(folder_);
  write_synced(folder_ + "/" + kStamp, digest_ + "\n");
}

std::string Spool::path_of(std::uint64_t run) const {
  char name[40];
  std::snprintf(name, sizeof name, "/run-%08llu.rec", static_cast<unsigned long long>(run));
  return folder_ + name;
}

void Spool::store(std::uint64_t run, const std::string& bytes) {
  const std::string path = path_of(run);
  const std::string temp = folder_ + "/." + fs::path(path).filename().string() + ".tmp";
  write_synced(temp, bytes);
  if (std::rename(temp.c_str(), path.c_str()) != 0) throw RuntimeFailure(path + ": cannot rename");
  finished_.insert(run);
}

std::string Spool::load(std::uint64_t run) const {
  const std::string path = path_of(run);
  if (!fs::is_regular_file(path))
    throw RuntimeFailure(path + ": expected a spooled run, found none");
  return read_all(path);
}

void Spool::remove() {
  fs::remove_all(folder_);
}

}  // namespace divsim
