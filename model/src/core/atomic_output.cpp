// Temp-file-and-rename output, so a crash never leaves a partial file under the final name.
#include "divsim/core/atomic_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "divsim/core/error.h"

namespace divsim {
namespace fs = std::filesystem;

namespace {

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

bool file_exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

AtomicOutput::AtomicOutput(std::string final_path, bool overwrite)
    : final_path_(std::move(final_path)), overwrite_(overwrite) {
  const fs::path target(final_path_);
  if (fs::is_directory(target)) {
    throw InputError({final_path_, 0, 0}, "", "expected an output file name, found a folder");
  }
  if (file_exists(final_path_) && !overwrite) {
    throw InputError({final_path_, 0, 0}, "", "output exists (use --force to overwrite it)");
  }
  fs::path folder = target.parent_path();
  if (folder.empty()) folder = ".";
  temp_path_ =
      (folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
}

const std::string& AtomicOutput::prepare() {
  const fs::path folder = fs::path(temp_path_).parent_path();
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (!fs::is_directory(folder)) {
    throw RuntimeFailure("cannot create the output folder " + folder.string());
  }
  return temp_path_;
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) {
    std::error_code ec;
    fs::remove(temp_path_, ec);
  }
}

void AtomicOutput::commit() {
  fsync_path(temp_path_, O_RDONLY);
  // Without --force the final name must still be free: a file that appeared there during the run
  // is kept, and so is the run, under its temporary name.
  int status = 0;
  if (overwrite_) {
    status = std::rename(temp_path_.c_str(), final_path_.c_str());
  } else {
    status =
        ::renameat2(AT_FDCWD, temp_path_.c_str(), AT_FDCWD, final_path_.c_str(), RENAME_NOREPLACE);
    if (status != 0 && errno == EINVAL) {  // file system without RENAME_NOREPLACE
      status = ::link(temp_path_.c_str(), final_path_.c_str());
      if (status == 0) ::unlink(temp_path_.c_str());
    }
  }
  if (status != 0) {
    const int error = errno;
    if (error == EEXIST) {
      committed_ = true;  // keep the temporary file: it holds the run
      throw RuntimeFailure(final_path_ + " appeared during the run and was not overwritten; the " +
                           "run is kept as " + temp_path_);
    }
    throw RuntimeFailure("cannot rename " + temp_path_ + " to " + final_path_ + ": " +
                         std::strerror(error) + " (out of disk space?)");
  }
  committed_ = true;
  fs::path folder = fs::path(final_path_).parent_path();
  fsync_path(folder.empty() ? "." : folder.string(), O_RDONLY | O_DIRECTORY);
}

}  // namespace divsim
